import { PiktError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { matrixWithSpectrum } from './test-matrices.js';
import { cholesky, solveSpd } from './cholesky.js';

describe('cholesky with reported jitter', () => {
  it('solves an SPD system to 1e-12 with no jitter, and L L^T = A', () => {
    const a = matrixWithSpectrum([10, 5, 2, 1, 0.5, 0.1], 2);
    const f = cholesky(a);
    expect(f.jitter).toBe(0);
    expect(f.attempts).toBe(1);
    const x = Float64Array.from([1, -2, 3, 0.5, 0, 1]);
    const b = new Float64Array(6);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) b[i] += a[i * 6 + j] * x[j];
    const sol = f.solve(b);
    for (let i = 0; i < 6; i++) expect(Math.abs(sol[i] - x[i])).toBeLessThan(1e-12);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let s = 0;
        for (let k = 0; k < 6; k++) s += f.L[i * 6 + k] * f.L[j * 6 + k];
        expect(Math.abs(s - a[i * 6 + j])).toBeLessThan(1e-12);
      }
    }
    expect(f.logDet()).toBeCloseTo(Math.log(10 * 5 * 2 * 1 * 0.5 * 0.1), 10);
  });

  it('factorizes a singular PSD Gram with a jitter it reports', () => {
    // rank-2 Gram of 4 points
    const pts = [1, 0, 0, 1, 1, 1, 1, -1];
    const a = new Float64Array(16);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) a[i * 4 + j] = pts[2 * i] * pts[2 * j] + pts[2 * i + 1] * pts[2 * j + 1];
    const f = cholesky(a);
    expect(f.jitter).toBeGreaterThan(0);
    expect(f.attempts).toBeGreaterThan(1);
    expect(f.relativeJitter).toBeCloseTo(f.jitter / 1.5, 15);
    expect(f.relativeJitter).toBeLessThanOrEqual(1e-3);
    const r = solveSpd(a, [1, 1, 2, 0]);
    expect(r.jitter).toBe(f.jitter);
  });

  it('refuses an indefinite matrix naming the pivot, and a fixed jitter that is too small', () => {
    const a = [1, 2, 2, 1];
    expect(() => cholesky(a)).toThrow(PiktError);
    expect(() => cholesky(a)).toThrow(/pivot 1/);
    expect(() => cholesky([1, 1, 1, 1], { jitter: 0 })).toThrow(/larger jitter/);
    expect(() => cholesky([1, 0, 0, 1], { jitter: -1 })).toThrow(/jitter/);
  });
});
