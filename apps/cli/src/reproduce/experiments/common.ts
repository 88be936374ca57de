import { renderLinePlot } from '../../figures/svg-plot.js';
import type { PlotSeries, PlotSpec } from '../../figures/svg-plot.js';
import type { ReportFigure, ReportTable } from '../../report/types.js';
import type { RunNumbers, RunParams, RunRecord } from '../../results/types.js';
import type { Preset } from '../presets.js';
import type { PlannedRun } from '../types.js';
import { meanSd } from './run-verdicts.js';

export { TOLERANCE, TOLERANCE_REASON, runVerdicts, meanSd, driftExplanation } from './run-verdicts.js';
export type { RunClaim } from './run-verdicts.js';

export function runParams(p: Partial<RunParams>): RunParams {
  const lambda = p.lambda ?? null;
  return {
    lambda, alpha: lambda === null ? null : lambda / (1 + lambda), width: p.width ?? null,
    teacher: p.teacher ?? null, embedding: p.embedding ?? null, regularizer: p.regularizer ?? null,
  };
}

/** A figure from a plot spec; `id` names the files (figures/<id>.svg, .png). */
export function figure(id: string, caption: string, spec: PlotSpec): ReportFigure {
  return { id, title: spec.title, caption, svg: renderLinePlot(spec), file: `figures/${id}.svg` };
}

/** Measured (solid) and predicted (dashed) curves of each run, one colour per run. */
export function curveSeries(runs: readonly RunRecord[], xKey: string, measuredKey: string, predictedKey: string, name: (r: RunRecord) => string = (r) => r.label): PlotSeries[] {
  const out: PlotSeries[] = [];
  for (const r of runs) {
    const c = r.curves ?? {};
    if (c[xKey] && c[measuredKey]) out.push({ label: `${name(r)}`, group: r.label, kind: 'measured', x: c[xKey], y: c[measuredKey] });
    if (c[xKey] && c[predictedKey]) out.push({ label: `${name(r)} (theory)`, group: r.label, kind: 'predicted', x: c[xKey], y: c[predictedKey] });
  }
  return out;
}

/** One measured-vs-predicted point per run, as two series over a run-level x value. */
export function pointSeries(runs: readonly RunRecord[], x: (r: RunRecord) => number | null, field: keyof RunNumbers & string, label: string): PlotSeries[] {
  const pts = runs.map((r) => ({ x: x(r), m: r.measured[field], p: r.predicted[field] })).filter((p) => p.x !== null);
  pts.sort((a, b) => (a.x as number) - (b.x as number));
  const num = (v: number | null | undefined) => (typeof v === 'number' ? v : NaN);
  return [
    { label: `${label} (measured)`, group: label, kind: 'measured', x: pts.map((p) => p.x as number), y: pts.map((p) => num(p.m)), markers: true },
    { label: `${label} (theory)`, group: label, kind: 'predicted', x: pts.map((p) => p.x as number), y: pts.map((p) => num(p.p)), markers: true },
  ];
}

type Cell = string | number | null;
type Column = [string, (r: RunRecord) => Cell | undefined];

/** Table: leading columns, a measured and an infinite-width (Hinf) theory column per field, then extra columns (the H(W(0)) theory among them). */
export function numbersTable(runs: readonly RunRecord[], lead: Column[], fields: Array<[keyof RunNumbers & string, string]>, extra: Column[] = []): ReportTable {
  const columns = [...lead.map(([h]) => h), ...fields.flatMap(([, h]) => [`${h} (measured)`, `${h} (Hinf theory)`]), ...extra.map(([h]) => h)];
  const val = (v: Cell | undefined) => (v === undefined ? null : v);
  const rows = runs.map((r) => [
    ...lead.map(([, f]) => val(f(r))),
    ...fields.flatMap(([k]) => [val(r.measured[k]), val(r.predicted[k])]),
    ...extra.map(([, f]) => val(f(r))),
  ]);
  return { columns, rows };
}

export const measuredCol = (field: string, header: string): Column => [header, (r) => r.measured[field]];
export const predictedCol = (field: string, header: string): Column => [header, (r) => r.predicted[field]];


export const lambdaOf = (r: RunRecord) => r.params.lambda;
export const alphaOf = (r: RunRecord) => r.params.alpha;

/** Each run's notes, once each, prefixed with the run's label so a reader knows which run says it. */
export function runNotes(runs: readonly RunRecord[]): string[] {
  return [...new Set(runs.flatMap((r) => (r.notes ?? []).map((n) => `${r.label}: ${n}`)))];
}

/** Seed runs are labelled `<label>/seed=<s>` (seed 0 keeps the plain label, so it equals the run without seeds). */
export const baseLabel = (label: string): string => label.replace(/\/seed=\d+$/, '');

/** One planned run per seed of the preset (seed 0 first, with the plain label). */
export function withSeeds(preset: Preset, run: PlannedRun): PlannedRun[] {
  return Array.from({ length: Math.max(1, preset.seeds) }, (_, s) => (s === 0 ? run : { ...run, label: `${run.label}/seed=${s}`, knobs: { ...run.knobs, seedIndex: s } }));
}

/** Runs grouped by configuration (their seeds together), in first-seen order. */
export function groupBySeed(runs: readonly RunRecord[]): Array<{ label: string; runs: RunRecord[] }> {
  const groups = new Map<string, RunRecord[]>();
  for (const r of runs) {
    const k = baseLabel(r.label);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  return [...groups].map(([label, rs]) => ({ label, runs: rs }));
}

/** Pointwise mean and sd of equally long curves (NaN where a curve is missing). */
export function curveBand(curves: ReadonlyArray<readonly number[] | undefined>): { mean: number[]; lower: number[]; upper: number[] } {
  const have = curves.filter((c): c is readonly number[] => Array.isArray(c));
  const len = Math.min(...have.map((c) => c.length));
  const mean: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let i = 0; i < (have.length ? len : 0); i++) {
    const s = meanSd(have.map((c) => c[i]));
    mean.push(s?.mean ?? NaN);
    lower.push(s ? s.mean - s.sd : NaN);
    upper.push(s ? s.mean + s.sd : NaN);
  }
  return { mean, lower, upper };
}

/**
 * Measured curves as mean +- sd bands over each configuration's seeds (solid), with the predicted
 * curve (dashed; Hinf's does not depend on the student's seed) of the first seed.
 */
export function bandCurveSeries(groups: ReadonlyArray<{ label: string; runs: RunRecord[] }>, xKey: string, measuredKey: string, predictedKey: string, name: (r: RunRecord) => string): PlotSeries[] {
  const out: PlotSeries[] = [];
  for (const g of groups) {
    const first = g.runs[0];
    const x = first.curves?.[xKey];
    if (!x) continue;
    const band = curveBand(g.runs.map((r) => r.curves?.[measuredKey]));
    if (band.mean.length > 0) {
      out.push({ label: name(first), group: g.label, kind: 'measured', x: x.slice(0, band.mean.length), y: band.mean, ...(g.runs.length > 1 ? { band: { lower: band.lower, upper: band.upper } } : {}) });
    }
    const p = first.curves?.[predictedKey];
    if (p) out.push({ label: `${name(first)} (theory)`, group: g.label, kind: 'predicted', x, y: p });
  }
  return out;
}
