import { createRng } from '@pikt/core';

/**
 * Symmetric test matrices with a prescribed spectrum, deterministic in the seed: the reference
 * inputs of the eigensolver, Cholesky, CG and Lanczos tests, exported so packages built on linalg
 * test against the same kind of matrices.
 */

/** n x n orthogonal matrix (row-major) from a product of random Householder reflections. */
export function randomOrthogonal(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  const v = new Float64Array(n);
  for (let r = 0; r < Math.min(n, 12); r++) {
    rng.fillNormal(v);
    const vv = v.reduce((a, x) => a + x * x, 0);
    // Q <- Q (I - 2 v v^T / v.v), row by row.
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Q[i * n + j] * v[j];
      const f = (2 * s) / vv;
      for (let j = 0; j < n; j++) Q[i * n + j] -= f * v[j];
    }
  }
  return Q;
}

/** A = Q diag(values) Q^T for a random orthogonal Q. */
export function matrixWithSpectrum(values: ArrayLike<number>, seed: number): Float64Array {
  const n = values.length;
  const Q = randomOrthogonal(n, seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k] * values[k] * Q[j * n + k];
      A[i * n + j] = s;
      A[j * n + i] = s;
    }
  }
  return A;
}
