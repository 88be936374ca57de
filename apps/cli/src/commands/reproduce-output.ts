import type { ExperimentReport } from '../report/types.js';
import type { ResultsFile } from '../results/types.js';
import { nonFinitePaths } from './numeric-checks.js';

/** Files `pikt reproduce` writes at the top of --out (figures/ besides). */
export const REPRODUCE_FILES = ['results.json', 'report.md', 'report.html'] as const;

/**
 * `pikt reproduce --json`: the summary plus every run's measured and predicted numbers and every
 * verdict. Non-finite numbers (JSON has none) are printed as null and named in `warnings`.
 */
export function jsonWithNumbers(summary: Record<string, unknown>, data: ResultsFile, sections: readonly ExperimentReport[]): string {
  const experiments = Object.fromEntries(sections.map((s) => [s.id, {
    runs: (data.experiments[s.id]?.runs ?? []).map((r) => ({ label: r.label, params: r.params, measured: r.measured, predicted: r.predicted })),
    verdicts: s.verdicts.map((v) => ({ prediction: v.prediction, measured: v.measured, predicted: v.predicted, gap: v.gap, tolerance: v.tolerance, holds: v.holds })),
  }]));
  const warnings = [...nonFinitePaths(experiments).map((p) => `[PIKT_NON_FINITE] experiments.${p} is not a finite number (printed as null)`), ...runWarnings(data)];
  return JSON.stringify({ ...summary, experiments, warnings }, null, 2);
}

/**
 * Named warnings for run numbers that are not finite. results.json stores NaN and inf as null
 * (JSON has neither); only `iterationsToEps` is null by design (eps not reached), so any other
 * null is a number that went non-finite.
 */
export function runWarnings(data: ResultsFile): string[] {
  const out: string[] = [];
  for (const [id, e] of Object.entries(data.experiments)) {
    for (const r of e.runs) {
      for (const side of ['measured', 'predicted'] as const) {
        for (const [k, v] of Object.entries(r[side] ?? {})) {
          if (k === 'iterationsToEps' || v === undefined) continue;
          if (v === null || !Number.isFinite(v)) out.push(`[PIKT_NON_FINITE] ${id}/${r.label}: ${side}.${k} is not a finite number (${v === null ? 'stored as null' : String(v)})`);
        }
      }
    }
  }
  return out;
}
