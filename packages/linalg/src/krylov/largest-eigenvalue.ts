import type { SymmetricOperator } from '../operators/symmetric-operator.js';
import { gaussRule } from './gauss-quadrature.js';
import { lanczos } from './lanczos.js';

/**
 * mu_1, the largest eigenvalue of a PSD operator, by a short Lanczos run (extreme Ritz values
 * converge first; Kaniel-Paige theory). Returns the top Ritz value theta (a lower bound of mu_1)
 * and the residual bound |mu - theta| <= beta_k |(z_1)_k| for the eigenvalue it approximates.
 * One vector per product, so much cheaper than a predictor run: use it to choose eta.
 */
export function largestEigenvalue(op: SymmetricOperator, opts: { steps?: number; start?: Float64Array } = {}): { value: number; residual: number; steps: number } {
  const n = op.n;
  // A deterministic start with mass on every direction a Gram's top eigenvector (positive, for
  // data with positive inner products) is likely to have.
  const start = opts.start ?? Float64Array.from({ length: n }, (_, i) => 1 + 0.5 * Math.sin(1.7 * i));
  const [run] = lanczos(op, [start], { maxSteps: Math.min(opts.steps ?? 20, n) });
  const k = run.steps;
  const carry = new Float64Array(k);
  if (k > 0) carry[k - 1] = 1;
  const rule = gaussRule(run, [carry]);
  const last = rule.carried[0][0]; // (z_1)_k, last component of the top Ritz vector
  const residual = run.exhausted ? 0 : Math.abs(run.beta[k - 1] * last);
  return { value: rule.nodes[0] ?? 0, residual, steps: k };
}
