import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './sym-eigen.js';
import { jacobiEigen } from '@pikt/testkit';

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  return a;
}

/** max |A v_i - lambda_i v_i| and max |V V^T - I|. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): { eig: number; orth: number } {
  let eig = 0;
  let orth = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[k * n + j];
      eig = Math.max(eig, Math.abs(av - values[k] * vectors[k * n + i]));
    }
    for (let l = 0; l < n; l++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[l * n + j];
      orth = Math.max(orth, Math.abs(dot - (k === l ? 1 : 0)));
    }
  }
  return { eig, orth };
}

describe('symmetricEigen', () => {
  it('2x2 closed form: [[2, 1], [1, 2]] has eigenvalues 3, 1 with vectors (1, 1)/sqrt2, (1, -1)/sqrt2', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0] * vectors[1]).toBeCloseTo(0.5, 14);
    expect(vectors[2] * vectors[3]).toBeCloseTo(-0.5, 14);
  });

  it('agrees with an independent cyclic Jacobi solver on random matrices, with tiny residuals', () => {
    for (const [n, seed] of [[1, 1], [3, 2], [17, 3], [40, 4]] as const) {
      const a = randomSymmetric(n, seed);
      const { values, vectors } = symmetricEigen(a, n);
      const ref = jacobiEigen(a, n);
      for (let i = 0; i < n; i++) expect(Math.abs(values[i] - ref.values[i])).toBeLessThan(1e-12 * n);
      const r = residuals(a, n, values, vectors);
      expect(r.eig).toBeLessThan(1e-12 * n);
      expect(r.orth).toBeLessThan(1e-13 * n);
    }
  });

  it('recovers a planted spectrum with repeated and zero eigenvalues (A = Q diag(l) Q^T)', () => {
    const n = 25;
    const lambda = Float64Array.from({ length: n }, (_, i) => (i < 5 ? 4 : i < 10 ? 0 : 10 - i * 0.25));
    // Q: product of two Householder reflections of random unit vectors (exactly orthogonal up to rounding).
    const rng = createRng(9);
    const reflect = (m: Float64Array) => {
      const v = rng.fillNormal(new Float64Array(n));
      const norm = Math.hypot(...v);
      for (let i = 0; i < n; i++) v[i] /= norm;
      for (let c = 0; c < n; c++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i] * m[i * n + c];
        for (let i = 0; i < n; i++) m[i * n + c] -= 2 * v[i] * dot;
      }
    };
    const q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) q[i * n + i] = 1;
    reflect(q);
    reflect(q);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * lambda[k] * q[j * n + k];
      a[i * n + j] = s;
    }
    const { values, vectors } = symmetricEigen(a, n);
    const sorted = [...lambda].sort((x, y) => y - x);
    sorted.forEach((l, i) => expect(Math.abs(values[i] - l)).toBeLessThan(1e-13));
    const r = residuals(a, n, values, vectors);
    expect(r.eig).toBeLessThan(1e-12);
    expect(r.orth).toBeLessThan(1e-13);
  });

  it('handles diagonal and zero matrices without iterating', () => {
    expect(Array.from(symmetricEigen([3, 0, 0, 0, -1, 0, 0, 0, 7], 3).values)).toEqual([7, 3, -1]);
    expect(Array.from(symmetricEigen(new Float64Array(16), 4).values)).toEqual([0, 0, 0, 0]);
  });

  it('reads only the lower triangle', () => {
    const a = randomSymmetric(9, 5);
    const garbled = Float64Array.from(a, (v, k) => (k % 9 > Math.floor(k / 9) ? 1e6 : v));
    expect(symmetricEigen(garbled, 9).values).toEqual(symmetricEigen(a, 9).values);
  });

  it('rejects a buffer of the wrong length', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(/expected 4 entries/);
  });
});
