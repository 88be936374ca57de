import { descendingOrder, tridiagonalQl } from '../dense/tridiagonal-ql.js';
import type { LanczosRun } from './lanczos.js';

/**
 * Quadrature rules for b^T f(A) b from a Lanczos run (Golub & Meurant, Matrices, Moments and
 * Quadrature, 2010, chapters 6-7):
 *
 *   Gauss:        sum_j w_j f(theta_j),  theta_j = eig(T_k),  w_j = ||b||^2 (z_j)_1^2;  exact for deg f <= 2k-1
 *   Gauss-Radau:  the same on T~_{k+1}, T_k extended so that a prescribed a <= lambda_min is a node:
 *                 alpha~ = a + delta_k,  (T_k - a I) delta = beta_k^2 e_k.
 *
 * For f with derivatives of alternating sign on [a, lambda_max] (completely monotone: (1 - s x)^p
 * with s lambda_max <= 1, or 1/x) Gauss is a lower and Gauss-Radau with a = 0 an upper bound,
 * which is the error estimate the large-n predictor reports.
 */
/** A discrete spectral measure of a vector t: t^T f(A) t ~ sum_j weights_j f(nodes_j). */
export interface SpectralMeasure {
  nodes: Float64Array;
  weights: Float64Array;
}

export interface RuleWithCoordinates extends SpectralMeasure {
  /** For each carried k-vector g: the coordinates z_j . g in the Ritz basis (same order as nodes). */
  carried: Float64Array[];
}

/** Gauss rule of the run (optionally truncated to its first `steps` steps), nodes descending. */
export function gaussRule(run: LanczosRun, carry: readonly Float64Array[] = [], steps = run.steps): RuleWithCoordinates {
  const k = Math.min(steps, run.steps);
  const d = run.alpha.slice(0, k);
  const e = new Float64Array(k);
  e.set(run.beta.subarray(0, Math.max(0, k - 1)));
  return ruleOf(d, e, run.norm, carry.map((g) => g.subarray(0, k)));
}

/**
 * Gauss-Radau rule with the prescribed node `a` (default 0, a lower bound of a PSD spectrum), or
 * null when T_k - aI is numerically singular (then no bound is available) or the run is empty.
 * An exhausted run returns its Gauss rule, which is exact.
 */
export function gaussRadauRule(run: LanczosRun, a = 0, steps = run.steps): SpectralMeasure | null {
  const k = Math.min(steps, run.steps);
  if (k === 0) return null;
  if (run.exhausted && k === run.steps) return gaussRule(run, [], k);
  const beta = run.beta[k - 1];
  // Thomas algorithm for (T_k - a I) delta = beta^2 e_k.
  const diag = Float64Array.from(run.alpha.subarray(0, k), (v) => v - a);
  const off = run.beta.subarray(0, k - 1);
  const c = new Float64Array(k);
  const r = new Float64Array(k);
  r[k - 1] = beta * beta;
  let piv = diag[0];
  const scale = Math.max(...Array.from(diag, Math.abs), 1e-300);
  for (let i = 1; i < k; i++) {
    if (Math.abs(piv) <= 1e-14 * scale) return null;
    c[i - 1] = off[i - 1] / piv;
    piv = diag[i] - off[i - 1] * c[i - 1];
    r[i] -= c[i - 1] * r[i - 1];
  }
  if (Math.abs(piv) <= 1e-14 * scale) return null;
  const deltaLast = r[k - 1] / piv;
  const dd = new Float64Array(k + 1);
  dd.set(run.alpha.subarray(0, k));
  dd[k] = a + deltaLast;
  const ee = new Float64Array(k + 1);
  ee.set(run.beta.subarray(0, k - 1));
  ee[k - 1] = beta;
  return ruleOf(dd, ee, run.norm, []);
}

function ruleOf(d: Float64Array, e: Float64Array, norm: number, carry: readonly Float64Array[]): RuleWithCoordinates {
  const k = d.length;
  const dd = Float64Array.from(d);
  const ee = Float64Array.from(e);
  const first = new Float64Array(k);
  if (k > 0) first[0] = 1;
  const vecs = [first, ...carry.map((g) => Float64Array.from(g))];
  tridiagonalQl(dd, ee, (i, c, s) => {
    for (const v of vecs) {
      const x = v[i];
      const y = v[i + 1];
      v[i] = c * x - s * y;
      v[i + 1] = s * x + c * y;
    }
  });
  const order = descendingOrder(dd);
  const nodes = Float64Array.from(order, (j) => dd[j]);
  const weights = Float64Array.from(order, (j) => norm * norm * vecs[0][j] * vecs[0][j]);
  const carried = vecs.slice(1).map((v) => Float64Array.from(order, (j) => v[j]));
  return { nodes, weights, carried };
}

/** sum_j w_j f(theta_j). */
export function applyRule(rule: SpectralMeasure, f: (x: number) => number): number {
  let s = 0;
  for (let j = 0; j < rule.nodes.length; j++) s += rule.weights[j] * f(rule.nodes[j]);
  return s;
}
