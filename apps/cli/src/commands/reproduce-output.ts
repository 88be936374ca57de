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
  const warnings = nonFinitePaths(experiments).map((p) => `[PIKT_NON_FINITE] experiments.${p} is not a finite number (printed as null)`);
  return JSON.stringify({ ...summary, experiments, warnings }, null, 2);
}
