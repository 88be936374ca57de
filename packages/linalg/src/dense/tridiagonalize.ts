import type { Workspace } from '../wasm/workspace.js';

/**
 * Householder reduction of a real symmetric matrix to tridiagonal form, A = Q T Q^T (Golub & Van
 * Loan, Matrix Computations, 4th ed., section 8.3.1), in float64, in place in a workspace.
 *
 * Step k (k = 0..n-3) annihilates column k below the subdiagonal with the reflector
 *
 *     P_k = I - beta_k v_k v_k^T,   v_k = x - alpha e_1,   alpha = -sign(x_1) ||x||,   beta_k = 2 / (v_k . v_k)
 *
 * where x = A[k+1:, k], and updates the trailing block A22 with the symmetric rank-2 form
 *
 *     p = beta A22 v,   w = p - (beta/2)(p . v) v,   A22 <- A22 - v w^T - w v^T.
 *
 * Only the lower triangle is read and written (4/3 n^3 flops, in the SIMD row kernels); v_k is
 * kept in the free upper triangle of row k, so Q is never formed: `applyQt` / `applyQ` apply it
 * to a vector in O(n^2).
 */
export interface Tridiagonal {
  readonly n: number;
  /** Diagonal of T (length n). */
  readonly d: Float64Array;
  /** Sub-diagonal of T: e[i] = T[i+1][i] (length n, e[n-1] = 0). */
  readonly e: Float64Array;
  /** beta_k for each reflector (0 where no reflection was needed). */
  readonly betas: Float64Array;
  /** Workspace and byte offset of the n x n array holding the reflectors. */
  readonly ws: Workspace;
  readonly pA: number;
}

/** Reduce the symmetric row-major n x n matrix stored at `pA` in `ws` (overwritten) to tridiagonal form. */
export function tridiagonalize(ws: Workspace, pA: number, n: number): Tridiagonal {
  const A = ws.f64(pA, n * n);
  const K = ws.k;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const betas = new Float64Array(n);
  let pv = ws.alloc(8 * n);
  let pp = ws.alloc(8 * n);
  let pu = ws.alloc(8 * n);
  let pq = ws.alloc(8 * n);
  const pw = ws.alloc(8 * n);
  const w = ws.f64(pw, n);

  /** Reflector of step k from column k (rows k+1..), written to the vector at `out` and to row k. */
  const householder = (k: number, out: number): void => {
    const m = n - k - 1;
    const v = ws.f64(out, m);
    d[k] = A[k * n + k];
    // Dividing x by its largest entry keeps ||x||^2 from overflowing or underflowing.
    let scale = 0;
    for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(A[(k + 1 + i) * n + k]));
    let norm2 = 0;
    for (let i = 0; i < m; i++) {
      const xi = scale === 0 ? 0 : A[(k + 1 + i) * n + k] / scale;
      v[i] = xi;
      norm2 += xi * xi;
    }
    const x0 = v[0];
    const alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    v[0] = x0 - alpha;
    // v.v = ||x||^2 - 2 alpha x0 + alpha^2 = 2 (alpha^2 - alpha x0): no cancellation by the sign choice.
    const vv = 2 * (norm2 - alpha * x0);
    e[k] = alpha * scale;
    if (vv === 0 || scale === 0) {
      v.fill(0); // no reflection: a zero v makes the rank-2 update below a no-op
      betas[k] = 0;
      e[k] = scale === 0 ? 0 : A[(k + 1) * n + k];
    } else {
      betas[k] = 2 / vv;
    }
    A.set(v, k * n + k + 1);
  };

  if (n > 2) {
    householder(0, pv);
    // p = A22 v for step 0 (later steps get it from the fused pass).
    const v = ws.f64(pv, n - 1);
    const p = ws.f64(pp, n - 1);
    p.fill(0);
    for (let i = 0; i < n - 1; i++) {
      const row = (1 + i) * n + 1;
      p[i] += K.symvRow(pA + 8 * row, pv, pp, v[i], i) + A[row + i] * v[i];
    }
  }
  for (let k = 0; k < n - 2; k++) {
    const m = n - k - 1;
    const base = k + 1;
    const v = ws.f64(pv, m);
    const p = ws.f64(pp, m);
    const beta = betas[k];
    // w = beta p - (beta^2/2)(p . v) v
    let pv2 = 0;
    for (let i = 0; i < m; i++) pv2 += p[i] * v[i];
    const c = 0.5 * beta * beta * pv2;
    for (let i = 0; i < m; i++) w[i] = beta * p[i] - c * v[i];
    if (k + 1 < n - 2) {
      // Update column k+1 first: the next reflector is built from it.
      for (let i = 0; i < m; i++) A[(base + i) * n + base] -= v[i] * w[0] + w[i] * v[0];
      householder(k + 1, pu);
      const u = ws.f64(pu, m - 1);
      const q = ws.f64(pq, m - 1);
      q.fill(0);
      for (let i = 1; i < m; i++) {
        const row = (base + i) * n + base;
        const s = K.syr2SymvRow(pA + 8 * (row + 1), pv + 8, pw + 8, v[i], w[i], pu, pq, u[i - 1], i - 1);
        A[row + i] -= 2 * v[i] * w[i];
        q[i - 1] += s + A[row + i] * u[i - 1];
      }
      [pv, pu] = [pu, pv];
      [pp, pq] = [pq, pp];
    } else {
      for (let i = 0; i < m; i++) K.syr2Row(pA + 8 * ((base + i) * n + base), pv, pw, v[i], w[i], i + 1);
    }
  }
  if (n >= 2) {
    d[n - 2] = A[(n - 2) * n + n - 2];
    e[n - 2] = A[(n - 1) * n + n - 2];
  }
  if (n >= 1) d[n - 1] = A[(n - 1) * n + n - 1];
  e[n - 1] = 0;
  return { n, d, e, betas, ws, pA };
}

/** x <- Q^T x = P_{n-3} ... P_0 x for the vector at byte offset `px` of the same workspace. */
export function applyQt(t: Tridiagonal, px: number): void {
  for (let k = 0; k < t.n - 2; k++) reflect(t, k, px);
}

/** x <- Q x = P_0 ... P_{n-3} x for the vector at byte offset `px`. */
export function applyQ(t: Tridiagonal, px: number): void {
  for (let k = t.n - 3; k >= 0; k--) reflect(t, k, px);
}

function reflect(t: Tridiagonal, k: number, px: number): void {
  const beta = t.betas[k];
  if (beta === 0) return;
  const { n, pA, ws } = t;
  const m = n - k - 1;
  const pvk = pA + 8 * (k * n + k + 1);
  const pxk = px + 8 * (k + 1);
  const s = ws.k.dot(pvk, pxk, m);
  ws.k.axpy(-beta * s, pvk, pxk, m);
}
