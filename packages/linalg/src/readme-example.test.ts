import { describe, expect, it } from 'vitest';
import { eigh, linalgKernels, matrixWithSpectrum, solveSpd } from './index.js';

describe('README example', () => {
  it('recovers the prescribed spectrum, solves A x = e_1 and reports the SIMD kernels', () => {
    const a = matrixWithSpectrum([4, 2, 1, 0.5], 7);
    const { values, vectors } = eigh(a);
    [4, 2, 1, 0.5].forEach((v, j) => expect(Math.abs(values[j] - v)).toBeLessThan(1e-14));
    // A v_1 = 4 v_1 for the first eigenvector row
    const v1 = vectors.subarray(0, 4);
    for (let i = 0; i < 4; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += a[i * 4 + j] * v1[j];
      expect(Math.abs(s - 4 * v1[i])).toBeLessThan(1e-14);
    }
    const { x, jitter } = solveSpd(a, [1, 0, 0, 0]);
    expect(jitter).toBe(0);
    for (let i = 0; i < 4; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += a[i * 4 + j] * x[j];
      expect(Math.abs(s - (i === 0 ? 1 : 0))).toBeLessThan(1e-14);
    }
    expect(linalgKernels()).toEqual({ kind: 'wasm-simd' });
  });
});
