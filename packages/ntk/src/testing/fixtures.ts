import { createRng } from '@pikt/core';

/**
 * Test fixtures shared by the package's tests (deterministic in the seed): random matrices with
 * known spectra and unit-norm point clouds. Not exported from the package.
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

/** n points on the unit sphere in R^d, row-major, plus a cluster structure so the Gram is not trivial. */
export function unitPoints(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centers = rng.child('centers').fillNormal(new Float64Array(3 * d));
  const x = new Float64Array(n * d);
  const noise = rng.child('noise');
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = centers[c * d + j] + 1.5 * noise.normal();
      x[i * d + j] = v;
      s += v * v;
    }
    const norm = Math.sqrt(s);
    for (let j = 0; j < d; j++) x[i * d + j] /= norm;
  }
  return x;
}

/** Labels in {-1, +1} from a fixed random direction. */
export function signLabels(x: Float64Array, d: number, seed: number): Float64Array {
  const w = createRng(seed).fillNormal(new Float64Array(d));
  const n = x.length / d;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += w[j] * x[i * d + j];
    return s >= 0 ? 1 : -1;
  });
}

/** max_ij |a_ij - b_ij|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
