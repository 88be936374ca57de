import type { SymmetricOperator } from '../operators/symmetric-operator.js';
import { gaussRule } from './gauss-quadrature.js';
import { InvalidOptionError } from '@pikt/core';
import { lanczos, type LanczosRun } from './lanczos.js';

/**
 * mu_1, the largest eigenvalue of a PSD operator, by a short Lanczos run (extreme Ritz values
 * converge first; Kaniel-Paige theory). Returns the top Ritz value theta (a lower bound of mu_1)
 * and the residual bound |mu - theta| <= beta_k |(z_1)_k| for the eigenvalue it approximates.
 * One vector per product, so much cheaper than a predictor run: use it to choose eta. With
 * `tol`, the run stops at the first step where residual <= tol * theta (checked every step; each
 * step at large n is one pass over the matrix, so a well-separated mu_1 costs a few passes).
 */
export function largestEigenvalue(op: SymmetricOperator, opts: { steps?: number; start?: Float64Array; tol?: number } = {}): { value: number; residual: number; steps: number } {
  const n = op.n;
  // A deterministic start with mass on every direction a Gram's top eigenvector (positive, for
  // data with positive inner products) is likely to have.
  const start = opts.start ?? Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(1.7 * i));
  const tol = opts.tol;
  if (tol !== undefined && !(tol >= 0 && Number.isFinite(tol))) throw new InvalidOptionError('tol', tol, 'a finite number >= 0');
  const [run] = lanczos(op, [start], {
    maxSteps: Math.min(opts.steps ?? 20, n),
    ...(tol === undefined ? {} : { checkEvery: 1, onProgress: ([r]) => { const t = topRitz(r); return t.residual <= tol * t.value; } }),
  });
  return { ...topRitz(run), steps: run.steps };
}

/** The top Ritz value of a run and its residual bound beta_k |(z_1)_k|. */
function topRitz(run: LanczosRun): { value: number; residual: number } {
  const k = run.steps;
  const carry = new Float64Array(k);
  if (k > 0) carry[k - 1] = 1;
  const rule = gaussRule(run, [carry]);
  const last = rule.carried[0][0]; // (z_1)_k, last component of the top Ritz vector
  const residual = run.exhausted ? 0 : Math.abs(run.beta[k - 1] * last);
  return { value: rule.nodes[0] ?? 0, residual };
}
