import { renderLinePlot } from '../../figures/svg-plot.js';
import type { PlotSeries, PlotSpec } from '../../figures/svg-plot.js';
import type { ReportFigure, ReportTable, Verdict } from '../../report/types.js';
import { judge } from '../../report/verdict.js';
import type { RunNumbers, RunParams, RunRecord } from '../../results/types.js';

/** Tolerances of the verdicts (relative unless said): what "agrees with the theory" means here. */
export const TOLERANCE = {
  /** max_k |u_measured(k) - u_predicted(k)| / max |ybar| (issue 6 uses 0.05 at the largest width). */
  trajectoryGap: 0.05,
  labelError: 0.1,
  capacity: 0.1,
  testLoss: 0.1,
  iterations: 0.1,
} as const;

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

/** Table: leading columns, a measured and a theory column per field, then extra columns. */
export function numbersTable(runs: readonly RunRecord[], lead: Column[], fields: Array<[keyof RunNumbers & string, string]>, extra: Column[] = []): ReportTable {
  const columns = [...lead.map(([h]) => h), ...fields.flatMap(([, h]) => [`${h} (measured)`, `${h} (theory)`]), ...extra.map(([h]) => h)];
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

/** The standard per-run verdicts: trajectory (P2), label error (P4), test loss (P7), iterations (P6). */
export function runVerdicts(r: RunRecord, which: Array<'P2' | 'P4' | 'P5' | 'P6' | 'P7'>): Verdict[] {
  const out: Verdict[] = [];
  const tag = (p: string) => `${p} [${r.label}]`;
  for (const w of which) {
    if (w === 'P2') {
      out.push(judge({ prediction: tag('P2'), claim: 'the outputs u(k) follow the predicted trajectory ybar + (I - eta (1+lambda) H)^k (u(0) - ybar); gap = max_k |u_measured - u_predicted| / max |ybar|', measured: r.measured.trajectoryGap, predicted: 0, tolerance: TOLERANCE.trajectoryGap, gapKind: 'absolute' }));
    } else if (w === 'P4') {
      out.push(judge({ prediction: tag('P4'), claim: 'label error ||u - y|| after training equals the kernel-regime value (alpha ||z - y|| at convergence)', measured: r.measured.labelErrorFinal, predicted: r.predicted.labelErrorFinal, tolerance: TOLERANCE.labelError }));
    } else if (w === 'P5') {
      out.push(judge({ prediction: tag('P5'), claim: 'distance travelled ||W - W(0)||_F equals sqrt((u - u0)^T H^-1 (u - u0))', measured: r.measured.capacity, predicted: r.predicted.capacity, tolerance: TOLERANCE.capacity }));
    } else if (w === 'P6') {
      out.push(judge({ prediction: tag('P6'), claim: 'iterations until ||u(k) - ybar|| <= eps ||ybar - u(0)|| match sum_i (1 - s mu_i)^(2k) (v_i^T t)^2 <= eps^2 ||t||^2', measured: r.measured.iterationsToEps, predicted: r.predicted.iterationsToEps, tolerance: TOLERANCE.iterations, unit: 'steps' }));
    } else {
      out.push(judge({ prediction: tag('P7'), claim: 'test loss equals the kernel prediction f_k(X*) = H(X*, X) H^-1 (I - (I - eta (1+lambda) H)^k) ybar', measured: r.measured.testLoss, predicted: r.predicted.testLoss, tolerance: TOLERANCE.testLoss }));
    }
  }
  return out;
}

export const lambdaOf = (r: RunRecord) => r.params.lambda;
export const alphaOf = (r: RunRecord) => r.params.alpha;

/** Each run's notes, once each, prefixed with the run's label so a reader knows which run says it. */
export function runNotes(runs: readonly RunRecord[]): string[] {
  return [...new Set(runs.flatMap((r) => (r.notes ?? []).map((n) => `${r.label}: ${n}`)))];
}
