import { formatNumber, formatPercent } from './format.js';
import type { ExperimentReport, Verdict } from './types.js';

/** One line of the report's opening summary: a claim of the paper and what happened to it here. */
export interface ClaimSummary {
  id: string;
  claim: string;
  /** "held", "held in 5 of 7", "did not hold", "not checked". */
  status: string;
  /** The key number, in words (from the verdict farthest from holding, or the first). */
  key: string;
  /** Figure id (and file) that shows it, if drawn. */
  figure?: { id: string; file: string };
  /** For verdicts that did not hold: what explains them (finite-width theory, an E7 assumption). */
  explained: string[];
}

/** A run that failed inside a plan (the plan went on), shown with its reason. */
export interface FailedRun {
  experiment: string;
  label: string;
  reason: string;
}

/** The claims of the paper as SCIENCE.md section 3 states them, each with the figure that shows it best. */
export const CLAIMS: ReadonlyArray<{ id: string; claim: string; figure: string; matches: (v: Verdict, experiment: string) => boolean }> = [
  { id: 'P2', claim: 'convergence is governed by the spectrum: u(k) follows the linear dynamics on H', figure: 'e1-train-loss', matches: (v, e) => v.prediction.startsWith('P2') && e !== 'E7' },
  { id: 'P3', claim: 'GD is stable iff eta < 2 / ((1 + lambda) mu_max)', figure: 'e7-residual', matches: (v, e) => v.prediction.startsWith('P3') && e !== 'E7' },
  { id: 'P4', claim: 'the student interpolates between PI and data (P1): label error alpha ||z - y|| at convergence', figure: 'e2-label-error', matches: (v) => v.prediction.startsWith('P4') },
  { id: 'P5', claim: 'capacity: ||W(inf) - W(0)||_F ~ sqrt(t^T H^-1 t)', figure: 'e2-capacity', matches: (v) => v.prediction.startsWith('P5') },
  { id: 'P6', claim: 'the teacher reduces the number of iterations', figure: 'e1-residual', matches: (v) => v.prediction.startsWith('P6') },
  { id: 'P7', claim: 'and so improves generalization (test loss follows the kernel prediction)', figure: 'e1-test-loss', matches: (v) => v.prediction.startsWith('P7') },
  { id: 'P8', claim: '"extremely wide": the gap to Hinf falls like m^(-1/2), drift and H(W(0)) error shrink with m', figure: 'e5-gap', matches: (v) => v.prediction.startsWith('P8') },
  { id: 'E7', claim: 'outside the assumptions (narrow m, large steps, SGD, both layers, uneven norms) the theory stops predicting and the gap grows', figure: 'e7-width', matches: (_v, e) => e === 'E7' },
];

/** "does not hold" first (the one farthest above its tolerance), else the first checked verdict. */
function keyVerdict(vs: readonly Verdict[]): Verdict | undefined {
  const failed = vs.filter((v) => v.holds === false);
  if (failed.length > 0) return [...failed].sort((a, b) => (b.gap ?? 0) / (b.tolerance || 1) - (a.gap ?? 0) / (a.tolerance || 1))[0];
  return vs.find((v) => v.holds === true) ?? vs[0];
}

/** The verdict's key number in a few words: measured vs predicted and the gap against its tolerance. */
export function shortKey(v: Verdict): string {
  const f = (x: number | null) => formatNumber(x);
  if (v.holds === null || v.measured === null) return v.words;
  if (v.gapKind === 'scaled' && v.scale) return `${v.prediction}: ${f(v.measured)} vs ${f(v.predicted)}, gap ${formatPercent(v.gap)} of ${v.scale.name} (tolerance ${formatPercent(v.tolerance)})`;
  if (v.gapKind === 'relative' && v.tolerance > 0) return `${v.prediction}: ${f(v.measured)} vs ${f(v.predicted)}, gap ${formatPercent(v.gap)} (tolerance ${formatPercent(v.tolerance)})`;
  return v.words.replace(/ Beside it.*$/, '');
}

/** The opening summary: each claim, whether it held here, the key number and the figure that shows it. */
export function summarizeClaims(sections: readonly ExperimentReport[]): ClaimSummary[] {
  const figures = new Map(sections.flatMap((s) => s.figures.map((f) => [f.id, f.file] as const)));
  return CLAIMS.map((c) => {
    const vs = sections.flatMap((s) => s.verdicts.filter((v) => c.matches(v, s.id)));
    const yes = vs.filter((v) => v.holds === true).length;
    const no = vs.filter((v) => v.holds === false).length;
    const checked = yes + no;
    const status = checked === 0 ? 'not checked' : no === 0 ? `held (${yes} of ${checked})` : yes === 0 ? `did not hold (0 of ${checked})` : `held in ${yes} of ${checked}`;
    const k = keyVerdict(vs);
    const file = figures.get(c.figure);
    const explained = [...new Set(vs.filter((v) => v.holds === false).map((v) => `${v.prediction}: ${v.explanation ?? 'not explained'}`))];
    return { id: c.id, claim: c.claim, status, key: k ? shortKey(k) : 'no verdict', ...(file ? { figure: { id: c.figure, file } } : {}), explained };
  });
}
