import { escapeXml, renderLinePlot } from './svg-plot.js';
import type { PlotSpec } from './svg-plot.js';

/** A measured mean over seeds with its spread: drawn as a line with a shaded band mean +- sd. */
export interface BandSeries {
  label: string;
  /** Colour group, shared with the series it belongs to (e.g. the predicted curve of the same configuration). */
  group?: string;
  x: readonly number[];
  mean: readonly number[];
  sd: readonly number[];
}

const upperLabel = (b: BandSeries) => `${b.label} (upper bound)`;
const lowerLabel = (b: BandSeries) => `${b.label} (lower bound)`;

/**
 * A line plot (renderLinePlot) plus one shaded band per BandSeries: the area between mean - sd and
 * mean + sd, in the series' colour, under the curves. The band's edges are laid out by the plot
 * itself (as two extra series, so the axes include them), then joined into one filled polygon and
 * left out of the legend (say in the caption what the shading is).
 * A band whose edges break (non-finite or non-positive values on a log axis) keeps them as lines.
 */
export function renderBandPlot(spec: PlotSpec, bands: readonly BandSeries[]): string {
  const edges = bands.flatMap((b) => {
    const group = b.group ?? b.label;
    return [
      { label: upperLabel(b), group, kind: 'measured' as const, x: b.x, y: b.mean.map((m, i) => m + b.sd[i]), markers: false },
      { label: lowerLabel(b), group, kind: 'measured' as const, x: b.x, y: b.mean.map((m, i) => m - b.sd[i]), markers: false },
    ];
  });
  const means = bands.map((b) => ({ label: b.label, group: b.group ?? b.label, kind: 'measured' as const, x: b.x, y: b.mean }));
  let svg = renderLinePlot({ ...spec, series: [...spec.series, ...means, ...edges] });
  for (const b of bands) {
    const path = (label: string) => new RegExp(`<path class="series measured" data-label="${escapeRe(escapeXml(label))}" d="([^"]*)" fill="none" stroke="([^"]*)"[^>]*/>\\n?`);
    const up = path(upperLabel(b)).exec(svg);
    const lo = path(lowerLabel(b)).exec(svg);
    const points = (d: string) => (d === '' ? 0 : d.split(/[ML]/).length - 1);
    if (!up || !lo || points(up[1]) !== b.x.length || points(lo[1]) !== b.x.length || up[1].slice(1).includes('M') || lo[1].slice(1).includes('M')) continue;
    const lower = lo[1].slice(1).split(' L').reverse().join(' L');
    const band = `<path class="band" data-label="${escapeXml(b.label)}" d="${up[1]} L${lower} Z" fill="${up[2]}" fill-opacity="0.18" stroke="none"/>\n`;
    svg = svg.replace(lo[0], '').replace(up[0], '');
    // Under every curve: right after the plot area opens.
    svg = svg.replace(/(<g class="plot-area"[^>]*>\n)/, `$1${band}`);
  }
  // The edges are the last legend entries: drop them (the caption says what the shading is).
  const items = [...svg.matchAll(/<g class="legend-item measured">\n<line[^>]*\/>\n<text[^>]*>[^<]*<\/text>\n<\/g>\n/g)];
  for (const m of items.slice(items.length - edges.length).reverse()) svg = svg.slice(0, m.index) + svg.slice(m.index + m[0].length);
  return svg;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
