import { PiktError } from '@pikt/core';

/**
 * Eigenvalues of a symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson's shift
 * (Golub & Van Loan 8.3.3, in its QL form; Bowdler, Martin, Reinsch & Wilkinson 1968).
 *
 * `d` (diagonal) and `e` (e[i] = T[i+1][i], e[n-1] unused) are overwritten: on return d holds the
 * eigenvalues, unsorted. Every plane rotation of the sweep is reported to `rotate(i, c, s)`, which
 * must apply (r_i, r_{i+1}) <- (c r_i - s r_{i+1}, s r_i + c r_{i+1}) to rows i and i+1 of whatever
 * it carries. Carrying the identity yields the eigenvectors of T as rows (row j for d[j]); carrying
 * the rows of a matrix B yields Z^T B, the coordinates of B's columns in the eigenbasis, at
 * O(cols) per rotation instead of O(n).
 */
/** Sweeps on one eigenvalue before the split test also accepts e_m <= eps ||T||. */
const FALLBACK_SWEEPS = 30;

export function tridiagonalQl(d: Float64Array, e: Float64Array, rotate?: (i: number, c: number, s: number) => void, maxSweeps = 60): void {
  const n = d.length;
  const eps = Number.EPSILON;
  // ||T|| (max row sum bound), for the fallback split test below.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + (i < n - 1 ? Math.abs(e[i]) : 0));
  for (let l = 0; l < n; l++) {
    let sweeps = 0;
    for (;;) {
      // Find the first negligible sub-diagonal entry at or after l: T splits there. The test is
      // relative to the neighbouring diagonal; a block of round-off (d and e both ~ eps ||T||,
      // e.g. the zero-variance pixels of an image covariance) can stall it, so after
      // FALLBACK_SWEEPS sweeps e_m <= eps ||T|| also splits (EISPACK tql2's test), a perturbation
      // no larger than the tridiagonalization's own round-off.
      const loose = sweeps >= FALLBACK_SWEEPS;
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= eps * dd || (loose && Math.abs(e[m]) <= eps * norm)) break;
      }
      if (m === l) break;
      if (++sweeps > maxSweeps) {
        throw new PiktError('PIKT_EIGEN_NO_CONVERGENCE', `The tridiagonal QL iteration did not converge for eigenvalue ${l} after ${maxSweeps} sweeps.`,
          'Check the matrix for NaN/huge entries or symmetric structure; rescale it if its entries span many orders of magnitude.');
      }
      // Wilkinson shift from the leading 2x2 block of the unreduced part.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the rotation is trivial; recover and restart the sweep.
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (rotate) rotate(i, c, s);
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** A `rotate` callback for a plain row-major Float64Array with `cols` columns. */
export function rotateArrayRows(rows: Float64Array, cols: number): (i: number, c: number, s: number) => void {
  return (i, c, s) => {
    const a = i * cols;
    const b = a + cols;
    for (let q = 0; q < cols; q++) {
      const ri = rows[a + q];
      const rj = rows[b + q];
      rows[b + q] = s * ri + c * rj;
      rows[a + q] = c * ri - s * rj;
    }
  };
}

/**
 * Order of the eigenvalues from largest to smallest (the SCIENCE.md convention mu_1 >= ... >= mu_n),
 * ties broken by index so the order is deterministic.
 */
export function descendingOrder(values: Float64Array): Int32Array {
  const idx = Int32Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => (values[b] - values[a]) || (a - b));
  return idx;
}
