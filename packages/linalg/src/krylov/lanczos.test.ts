import { describe, expect, it } from 'vitest';
import { eigh } from '../dense/eigh.js';
import { denseOperator } from '../operators/symmetric-operator.js';
import { matrixWithSpectrum } from '../dense/test-matrices.js';
import { applyRule, gaussRadauRule, gaussRule } from './gauss-quadrature.js';
import { lanczos } from './lanczos.js';
import { largestEigenvalue } from './largest-eigenvalue.js';

const n = 60;
const mu = Float64Array.from({ length: n }, (_, i) => 10 * Math.exp(-i / 8) + 1e-3);
const A = matrixWithSpectrum(mu, 21);
const op = denseOperator(A);
const b = Float64Array.from({ length: n }, (_, i) => Math.sin(0.7 * i) + 0.2);

/** b^T f(A) b from the exact eigendecomposition. */
function exact(f: (x: number) => number): number {
  const e = eigh(A);
  let s = 0;
  for (let j = 0; j < n; j++) {
    let c = 0;
    for (let i = 0; i < n; i++) c += e.vectors[j * n + i] * b[i];
    s += c * c * f(e.values[j]);
  }
  return s;
}

describe('Lanczos with full reorthogonalization and Gauss quadrature', () => {
  it('run to exhaustion: Ritz values are the eigenvalues and the quadrature is exact', () => {
    const [run] = lanczos(op, [b], { maxSteps: n });
    expect(run.steps).toBe(n);
    expect(run.exhausted).toBe(true);
    const rule = gaussRule(run);
    for (let j = 0; j < n; j++) expect(Math.abs(rule.nodes[j] - mu[j]) / mu[0]).toBeLessThan(1e-12);
    const f = (x: number) => Math.exp(-0.3 * x);
    expect(applyRule(rule, f)).toBeCloseTo(exact(f), 12);
    expect(rule.weights.reduce((p, w) => p + w, 0)).toBeCloseTo(b.reduce((p, v) => p + v * v, 0), 12);
  });

  it('keeps the basis orthonormal: Q^T (Q c) = c', () => {
    const [run] = lanczos(op, [b], { maxSteps: 40 });
    const c = Float64Array.from({ length: run.steps }, (_, i) => Math.cos(i));
    const back = run.projectOnBasis(run.combine(c));
    for (let i = 0; i < c.length; i++) expect(Math.abs(back[i] - c[i])).toBeLessThan(1e-12);
  });

  it('Gauss is a lower and Gauss-Radau (node 0) an upper bound for completely monotone f, both converging', () => {
    const s = 1 / mu[0];
    // For 1/x the prescribed Radau node must be a positive lower bound of the spectrum (here 1e-3).
    const cases: Array<[(x: number) => number, number]> = [[(x) => (1 - s * x) ** 40, 0], [(x) => 1 / x, 1e-3]];
    for (const [f, a] of cases) {
      const truth = exact(f);
      let prevGap = Infinity;
      for (const k of [4, 8, 16]) {
        const [run] = lanczos(op, [b], { maxSteps: k });
        const g = applyRule(gaussRule(run), f);
        const r = applyRule(gaussRadauRule(run, a)!, f);
        expect(g).toBeLessThanOrEqual(truth * (1 + 1e-12));
        expect(r).toBeGreaterThanOrEqual(truth * (1 - 1e-12));
        expect(r - g).toBeLessThanOrEqual(prevGap);
        prevGap = r - g;
      }
    }
  });

  it('batched runs equal separate runs; a zero start vector gives an empty run; early stop by callback', () => {
    const b2 = b.map((v, i) => v * (i % 3));
    const both = lanczos(op, [b, b2, new Float64Array(n)], { maxSteps: 12 });
    const alone = lanczos(op, [b2], { maxSteps: 12 });
    for (let j = 0; j < 12; j++) expect(both[1].alpha[j]).toBeCloseTo(alone[0].alpha[j], 12);
    expect(both[2].steps).toBe(0);
    const stopped = lanczos(op, [b], { maxSteps: 50, checkEvery: 5, onProgress: (_r, step) => step >= 10 });
    expect(stopped[0].steps).toBe(10);
  });

  it('per-run flags stop only the flagged runs; the others go on as if alone', () => {
    const b2 = b.map((v, i) => v * (i % 3));
    const seen: number[][] = [];
    const runs = lanczos(op, [b, b2], {
      maxSteps: 30, checkEvery: 5,
      onProgress: (rs, step) => { seen.push(rs.map((r) => r.steps)); return [step >= 10, false]; },
    });
    expect(runs.map((r) => r.steps)).toEqual([10, 30]);
    expect(seen).toEqual([[5, 5], [10, 10], [10, 15], [10, 20], [10, 25], [10, 30]]);
    const first = lanczos(op, [b], { maxSteps: 10 });
    const second = lanczos(op, [b2], { maxSteps: 30 });
    // The 2-vector and 1-vector products may round differently: equal to 1e-12 of the scale mu_1.
    for (let j = 0; j < 10; j++) expect(Math.abs(runs[0].alpha[j] - first[0].alpha[j])).toBeLessThanOrEqual(1e-12 * mu[0]);
    for (let j = 0; j < 30; j++) {
      expect(Math.abs(runs[1].alpha[j] - second[0].alpha[j])).toBeLessThanOrEqual(1e-12 * mu[0]);
      expect(Math.abs(runs[1].beta[j] - second[0].beta[j])).toBeLessThanOrEqual(1e-12 * mu[0]);
    }
  });
});

describe('largestEigenvalue', () => {
  it('finds mu_1 with a residual bound that covers the error', () => {
    const r = largestEigenvalue(op, { steps: 8 });
    expect(r.value).toBeLessThanOrEqual(mu[0] * (1 + 1e-14));
    expect(mu[0] - r.value).toBeLessThanOrEqual(r.residual + 1e-12);
    expect(Math.abs(largestEigenvalue(op, { steps: 25 }).value - mu[0]) / mu[0]).toBeLessThan(1e-10);
  });

  it('with tol, stops at the first step whose residual bound is within tol * theta', () => {
    const r = largestEigenvalue(op, { steps: 40, tol: 1e-6 });
    expect(r.residual).toBeLessThanOrEqual(1e-6 * r.value);
    expect(r.steps).toBeLessThan(40);
    const before = largestEigenvalue(op, { steps: r.steps - 1 });
    expect(before.residual).toBeGreaterThan(1e-6 * before.value);
    expect(mu[0] - r.value).toBeLessThanOrEqual(r.residual + 1e-12);
    expect(() => largestEigenvalue(op, { tol: -1 })).toThrow('Invalid option "tol"');
  });
});
