import { describe, expect, it } from 'vitest';
import { cholesky } from '../dense/cholesky.js';
import { denseOperator } from '../operators/symmetric-operator.js';
import { matrixWithSpectrum } from '../dense/test-matrices.js';
import { conjugateGradient } from './conjugate-gradient.js';

describe('conjugate gradients', () => {
  const n = 80;
  const A = matrixWithSpectrum(Float64Array.from({ length: n }, (_, i) => 1 + 99 * (i / (n - 1)) ** 2), 5);
  const op = denseOperator(A);
  const b1 = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const b2 = Float64Array.from({ length: n }, (_, i) => (i % 4) - 1.5);

  it('solves two systems at once; b^T x is b^T A^-1 b; the error estimate bounds what is left', () => {
    const chol = cholesky(A);
    const [r1, r2] = conjugateGradient(op, [b1, b2], { tol: 1e-11, maxIterations: 4 * n });
    for (const [r, b] of [[r1, b1], [r2, b2]] as const) {
      const x = chol.solve(b);
      expect(r.converged).toBe(true);
      expect(r.relativeResidual).toBeLessThanOrEqual(1e-11);
      for (let i = 0; i < n; i++) expect(Math.abs(r.x[i] - x[i])).toBeLessThan(1e-9);
      const quad = b.reduce((p, v, i) => p + v * x[i], 0);
      expect(r.quadratic).toBeCloseTo(quad, 10);
      expect(r.iterations).toBeLessThan(2 * n);
    }
    // Stopped early, b^T x_k is a lower bound and the estimate has the size of the gap.
    const [early] = conjugateGradient(op, [b1], { maxIterations: 12, delay: 4 });
    const quad = b1.reduce((p, v, i) => p + v * chol.solve(b1)[i], 0);
    expect(early.converged).toBe(false);
    expect(early.quadratic).toBeLessThan(quad);
    expect(early.errorEstimate).toBeGreaterThan(0);
    expect(early.errorEstimate).toBeGreaterThan(0.1 * (quad - early.quadratic));
  });

  it('with a jitter it solves (A + delta I) x = b and reports delta', () => {
    const [r] = conjugateGradient(op, [b1], { jitter: 0.5, tol: 1e-11, maxIterations: 4 * n });
    const shifted = cholesky(A.map((v, i) => v + (i % (n + 1) === 0 ? 0.5 : 0)));
    const x = shifted.solve(b1);
    for (let i = 0; i < n; i++) expect(Math.abs(r.x[i] - x[i])).toBeLessThan(1e-9);
    expect(r.jitter).toBe(0.5);
    expect(() => conjugateGradient(op, [b1], { jitter: -1 })).toThrow(/jitter/);
  });
});
