import type { CgResult } from './conjugate-gradient.js';
import { gaussRule } from './gauss-quadrature.js';
import type { LanczosRun } from './lanczos.js';

/**
 * The CG iterate held by a Lanczos run from b (Golub & Meurant 2010, section 8.2): x_k = Q_k y with
 * T_k y = ||b|| e_1, so b^T x_k = ||b|| y_1 (the Gauss rule for 1/x), and ||r_k|| = beta_k |y_k|.
 */
export function cgFromLanczos(run: LanczosRun, jitter: number): CgResult {
  const quadAt = (k: number): { quad: number; resid: number } => {
    if (k === 0 || run.norm === 0) return { quad: 0, resid: run.norm };
    const d = Float64Array.from(run.alpha.subarray(0, k), (v) => v + jitter);
    const off = run.beta.subarray(0, k - 1);
    // Thomas algorithm on T_k y = ||b|| e_1.
    const c = new Float64Array(k);
    const r = new Float64Array(k);
    r[0] = run.norm;
    let piv = d[0];
    for (let i = 1; i < k; i++) {
      c[i - 1] = off[i - 1] / piv;
      piv = d[i] - off[i - 1] * c[i - 1];
      r[i] -= c[i - 1] * r[i - 1];
      d[i] = piv;
    }
    const y = new Float64Array(k);
    y[k - 1] = r[k - 1] / d[k - 1];
    for (let i = k - 2; i >= 0; i--) y[i] = (r[i] - off[i] * y[i + 1]) / d[i];
    return { quad: run.norm * y[0], resid: run.exhausted && k === run.steps ? 0 : run.beta[k - 1] * Math.abs(y[k - 1]) };
  };
  const k = run.steps;
  const now = quadAt(k);
  const before = quadAt(Math.max(0, k - 10));
  return {
    x: new Float64Array(0),
    iterations: k,
    relativeResidual: run.norm === 0 ? 0 : now.resid / run.norm,
    converged: run.norm === 0 || now.resid <= 1e-8 * run.norm,
    quadratic: now.quad,
    errorEstimate: Math.max(0, now.quad - before.quad),
    jitter,
  };
}

/** Eigenpairs of T_k for a run: nodes, first components, and eigenvectors as rows (k x k). */
export function ritzVectors(run: LanczosRun): { nodes: Float64Array; first: Float64Array; rows: Float64Array } {
  const k = run.steps;
  const carry = Array.from({ length: k }, (_, i) => {
    const e = new Float64Array(k);
    e[i] = 1;
    return e;
  });
  const rule = gaussRule(run, carry);
  const rows = new Float64Array(k * k);
  // carried[i][j] = z_j . e_i = (z_j)_i
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) rows[j * k + i] = rule.carried[i][j];
  const first = Float64Array.from({ length: k }, (_, j) => rows[j * k]);
  return { nodes: rule.nodes, first, rows };
}
