import { fnv1a } from '@pikt/core';
import { formatTick, linearTicks, logTicks } from './ticks.js';
import type { AxisTicks } from './ticks.js';

/** One curve. Measured curves are solid, predicted ones dashed; a `group` shares one colour. */
export interface PlotSeries {
  label: string;
  x: readonly number[];
  y: readonly number[];
  kind: 'measured' | 'predicted';
  /** Series with the same group (e.g. "lambda=1") get the same colour; defaults to the label. */
  group?: string;
  /** Draw a dot at each point (default: when the series has at most 40 points and is measured). */
  markers?: boolean;
  /** A shaded band around the curve (e.g. mean +- sd over seeds), same x as the series. */
  band?: { lower: readonly number[]; upper: readonly number[] };
}

export interface PlotAxis {
  label: string;
  /** Printed after the label in brackets, e.g. "GD steps" or "1/2 ||u - y||^2". */
  unit?: string;
  log?: boolean;
}

export interface PlotSpec {
  title: string;
  x: PlotAxis;
  y: PlotAxis;
  series: readonly PlotSeries[];
  width?: number;
  height?: number;
}

/** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';
const MARGIN = { left: 78, right: 220, top: 44, bottom: 58 };
const LEGEND_ROW = 18;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Two decimals: enough for pixels, and identical output for identical input. */
function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

function usable(v: number, log: boolean): boolean {
  return Number.isFinite(v) && (!log || v > 0);
}

/** `pad`: widen a linear range by this fraction on each side, so curves never run along the frame. */
function axisTicks(values: number[], log: boolean, pad = 0): AxisTicks {
  if (values.length === 0) return log ? logTicks(1, 10) : linearTicks(0, 1);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
  if (log) return logTicks(min, max);
  const margin = (max - min) * pad;
  return linearTicks(min - margin, max + margin);
}

function scaleFn(t: AxisTicks, from: number, to: number): (v: number) => number {
  const f = t.log ? Math.log10 : (v: number) => v;
  const [d0, d1] = [f(t.domain[0]), f(t.domain[1])];
  return (v) => from + ((f(v) - d0) / (d1 - d0)) * (to - from);
}

function axisTitle(a: PlotAxis): string {
  return a.unit ? `${a.label} [${a.unit}]${a.log ? ' (log scale)' : ''}` : `${a.label}${a.log ? ' (log scale)' : ''}`;
}

/**
 * Render a line plot as a standalone SVG document (deterministic: the same spec gives the same
 * bytes). Points that are not finite, or not positive on a log axis, break the line instead of
 * being drawn. Structure, for tests and styling: `g.x-axis`, `g.y-axis`, `g.plot-area` (with one
 * `path.series` per drawn series), `g.legend` (one `g.legend-item` per series), `text.title`.
 */
export function renderLinePlot(spec: PlotSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 440;
  const xLog = Boolean(spec.x.log);
  const yLog = Boolean(spec.y.log);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of spec.series) {
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      if (usable(s.x[i], xLog) && usable(s.y[i], yLog)) { xs.push(s.x[i]); ys.push(s.y[i]); }
      for (const b of s.band ? [s.band.lower[i], s.band.upper[i]] : []) if (usable(s.x[i], xLog) && usable(b, yLog)) ys.push(b);
    }
  }
  const xt = axisTicks(xs, xLog);
  const yt = axisTicks(ys, yLog, 0.04);
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const sx = scaleFn(xt, left, right);
  const sy = scaleFn(yt, bottom, top);
  const clipId = `clip-${fnv1a(`${spec.title}|${spec.series.map((s) => s.label).join('|')}`).toString(16)}`;

  const groups = new Map<string, string>();
  const colorOf = (s: PlotSeries) => {
    const g = s.group ?? s.label;
    if (!groups.has(g)) groups.set(g, PALETTE[groups.size % PALETTE.length]);
    return groups.get(g)!;
  };

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" role="img" aria-label="${escapeXml(spec.title)}">`);
  out.push(`<title>${escapeXml(spec.title)}</title>`);
  out.push(`<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<defs><clipPath id="${clipId}"><rect x="${left}" y="${top}" width="${px(right - left)}" height="${px(bottom - top)}"/></clipPath></defs>`);
  out.push(`<text class="title" x="${px((left + right) / 2)}" y="26" text-anchor="middle" font-size="15" font-weight="bold" fill="#111111">${escapeXml(spec.title)}</text>`);

  // Axes: grid lines, ticks and labels.
  out.push('<g class="axis x-axis" font-size="11" fill="#333333">');
  const xStep = xt.ticks.length > 1 ? Math.abs(xt.ticks[1] - xt.ticks[0]) : undefined;
  for (const t of xt.ticks) {
    const x = px(sx(t));
    out.push(`<line class="grid" x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#e5e5e5" stroke-width="1"/>`);
    out.push(`<line class="tick" x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="#333333"/>`);
    out.push(`<text class="tick-label" x="${x}" y="${bottom + 18}" text-anchor="middle">${escapeXml(formatTick(t, xt.log ? undefined : xStep))}</text>`);
  }
  out.push(`<line class="axis-line" x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333333" stroke-width="1.2"/>`);
  out.push(`<text class="axis-label" x="${px((left + right) / 2)}" y="${height - 16}" text-anchor="middle" font-size="13" fill="#111111">${escapeXml(axisTitle(spec.x))}</text>`);
  out.push('</g>');

  out.push('<g class="axis y-axis" font-size="11" fill="#333333">');
  const yStep = yt.ticks.length > 1 ? Math.abs(yt.ticks[1] - yt.ticks[0]) : undefined;
  for (const t of yt.ticks) {
    const y = px(sy(t));
    out.push(`<line class="grid" x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e5e5e5" stroke-width="1"/>`);
    out.push(`<line class="tick" x1="${left - 5}" y1="${y}" x2="${left}" y2="${y}" stroke="#333333"/>`);
    out.push(`<text class="tick-label" x="${left - 8}" y="${y}" dy="0.35em" text-anchor="end">${escapeXml(formatTick(t, yt.log ? undefined : yStep))}</text>`);
  }
  out.push(`<line class="axis-line" x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333333" stroke-width="1.2"/>`);
  const yMid = px((top + bottom) / 2);
  out.push(`<text class="axis-label" x="18" y="${yMid}" text-anchor="middle" font-size="13" fill="#111111" transform="rotate(-90 18 ${yMid})">${escapeXml(axisTitle(spec.y))}</text>`);
  out.push('</g>');

  // Series: predicted first so measured curves are drawn on top of them.
  out.push(`<g class="plot-area" clip-path="url(#${clipId})">`);
  const ordered = [...spec.series.map((s, i) => ({ s, i }))].sort((a, b) => (a.s.kind === b.s.kind ? a.i - b.i : a.s.kind === 'predicted' ? -1 : 1));
  for (const s of spec.series) colorOf(s);
  // Bands first, under every line.
  for (const s of spec.series) if (s.band) out.push(...bandMarkup(s, colorOf(s), sx, sy, xLog, yLog));
  for (const { s } of ordered) out.push(...seriesMarkup(s, colorOf(s), sx, sy, xLog, yLog));
  if (xs.length === 0) {
    out.push(`<text class="no-data" x="${px((left + right) / 2)}" y="${px((top + bottom) / 2)}" text-anchor="middle" font-size="13" fill="#777777">no data</text>`);
  }
  out.push('</g>');

  // Legend, right of the plot area.
  out.push(`<g class="legend" font-size="11" fill="#111111">`);
  const lx = right + 16;
  spec.series.forEach((s, i) => {
    const y = top + 8 + i * LEGEND_ROW;
    const dash = s.kind === 'predicted' ? ' stroke-dasharray="6 4"' : '';
    out.push(`<g class="legend-item ${s.kind}">`);
    out.push(`<line x1="${lx}" y1="${y}" x2="${lx + 26}" y2="${y}" stroke="${colorOf(s)}" stroke-width="2.2"${dash}/>`);
    out.push(`<text x="${lx + 32}" y="${y}" dy="0.35em">${escapeXml(truncate(s.label, 30))}</text>`);
    out.push('</g>');
  });
  const noteY = top + 8 + spec.series.length * LEGEND_ROW + 8;
  out.push(`<text class="legend-note" x="${lx}" y="${noteY}" dy="0.35em" font-size="10" fill="#555555">solid: measured, dashed: predicted</text>`);
  if (spec.series.some((s) => s.band)) out.push(`<text class="legend-note band-note" x="${lx}" y="${noteY + 14}" dy="0.35em" font-size="10" fill="#555555">shaded: mean +- sd over seeds</text>`);
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A filled polygon from the upper edge left to right and back along the lower edge; unusable points are skipped. */
function bandMarkup(s: PlotSeries, color: string, sx: (v: number) => number, sy: (v: number) => number, xLog: boolean, yLog: boolean): string[] {
  const band = s.band as NonNullable<PlotSeries['band']>;
  const idx: number[] = [];
  for (let i = 0; i < s.x.length; i++) if (usable(s.x[i], xLog) && usable(band.lower[i], yLog) && usable(band.upper[i], yLog)) idx.push(i);
  if (idx.length < 2) return [];
  const upper = idx.map((i, j) => `${j === 0 ? 'M' : 'L'}${px(sx(s.x[i]))} ${px(sy(band.upper[i]))}`);
  const lower = [...idx].reverse().map((i) => `L${px(sx(s.x[i]))} ${px(sy(band.lower[i]))}`);
  return [`<path class="band ${s.kind}" data-label="${escapeXml(s.label)}" d="${[...upper, ...lower].join(' ')} Z" fill="${color}" fill-opacity="0.18" stroke="none"/>`];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function seriesMarkup(s: PlotSeries, color: string, sx: (v: number) => number, sy: (v: number) => number, xLog: boolean, yLog: boolean): string[] {
  const n = Math.min(s.x.length, s.y.length);
  const parts: string[] = [];
  const points: Array<[string, string]> = [];
  let pen = false;
  for (let i = 0; i < n; i++) {
    if (!usable(s.x[i], xLog) || !usable(s.y[i], yLog)) { pen = false; continue; }
    const p: [string, string] = [px(sx(s.x[i])), px(sy(s.y[i]))];
    parts.push(`${pen ? 'L' : 'M'}${p[0]} ${p[1]}`);
    points.push(p);
    pen = true;
  }
  const dash = s.kind === 'predicted' ? ' stroke-dasharray="6 4"' : '';
  const label = escapeXml(s.label);
  const out = [`<path class="series ${s.kind}" data-label="${label}" d="${parts.join(' ')}" fill="none" stroke="${color}" stroke-width="2.2" stroke-linejoin="round"${dash}/>`];
  const markers = s.markers ?? (s.kind === 'measured' && points.length <= 40);
  if (markers || points.length === 1) {
    out.push(`<g class="markers" data-label="${label}" fill="${s.kind === 'measured' ? color : '#ffffff'}" stroke="${color}" stroke-width="1.5">`);
    for (const [x, y] of points) out.push(`<circle cx="${x}" cy="${y}" r="3.2"/>`);
    out.push('</g>');
  }
  return out;
}
