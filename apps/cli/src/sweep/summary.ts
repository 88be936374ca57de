import type { RunNumbers } from '../results/types.js';
import type { SweepParams } from './grid.js';

/** One run of a sweep, as results.json lists it. */
export interface SweepRun {
  fingerprint: string;
  params: SweepParams;
  seed: number;
  measured: RunNumbers;
  predicted: RunNumbers;
  failure?: { message: string; code?: string };
}

export interface MeanSd { mean: number; sd: number; n: number }

/** Per configuration: mean and sample standard deviation over its seeds, measured beside predicted. */
export interface SweepSummary {
  params: SweepParams;
  seeds: number;
  failed: number;
  measured: Record<string, MeanSd>;
  predicted: Record<string, MeanSd>;
}

/** mean and sample standard deviation sqrt(sum (v - mean)^2 / (n - 1)) (0 for one value) of the finite values. */
export function meanSd(values: readonly number[]): MeanSd | undefined {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return undefined;
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd, n: v.length };
}

function fields(rows: readonly RunNumbers[]): Record<string, MeanSd> {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort();
  const out: Record<string, MeanSd> = {};
  for (const k of keys) {
    const s = meanSd(rows.map((r) => r[k]).filter((x): x is number => typeof x === 'number'));
    if (s) out[k] = s;
  }
  return out;
}

/** Group runs by configuration (in the order of `configs`) and summarize each over its seeds. */
export function summarize(configs: readonly SweepParams[], runs: readonly SweepRun[]): SweepSummary[] {
  const key = (p: SweepParams) => JSON.stringify(p);
  return configs.map((params) => {
    const mine = runs.filter((r) => key(r.params) === key(params));
    const ok = mine.filter((r) => !r.failure);
    return { params, seeds: mine.length, failed: mine.length - ok.length, measured: fields(ok.map((r) => r.measured)), predicted: fields(ok.map((r) => r.predicted)) };
  });
}
