import { describe, expect, it } from 'vitest';
import { hinf } from '../kernels/analytic-kernel.js';
import { signLabels, unitPoints } from '../testing/fixtures.js';
import { predictGeneric } from './generic-predictor.js';
import { piObjective, squaredLoss, sumLosses } from './output-losses.js';
import { createPiPredictor } from './pi-predictor.js';
import { denseOperator } from '@pikt/linalg';

const quiet = (): void => {};

describe('generic function-space predictor u(k+1) = u(k) - eta H grad L(u(k))', () => {
  it('records a long list of steps (200,001 of them): u(k) = 1 - 0.9^k for H = [1], L = 1/2 (u - 1)^2, eta = 0.1', () => {
    const steps = Array.from({ length: 200_001 }, (_, k) => k);
    const out = predictGeneric({ gram: [1], loss: squaredLoss([1]), eta: 0.1 }, steps);
    expect(out.steps.length).toBe(200_001);
    expect(out.u[30][0]).toBeCloseTo(1 - 0.9 ** 30, 12);
    expect(out.u[200_000][0]).toBeCloseTo(1, 12);
  });

  const n = 40, d = 8, K = 2;
  const x = unitPoints(n + 5, d, 3);
  const xTrain = x.subarray(0, n * d);
  const xTest = x.subarray(n * d);
  const H = hinf(xTrain, null, { inputDim: d, onWarning: quiet }).data;
  const Hx = hinf(xTest, xTrain, { inputDim: d, onWarning: quiet }).data;
  const s1 = signLabels(xTrain, d, 1);
  const s2 = signLabels(xTrain, d, 2);
  const y = Float64Array.from({ length: n * K }, (_, i) => (i % 2 === 0 ? s1[i >> 1] : s2[i >> 1]));
  const z = y.map((v, i) => 0.6 * v + 0.1 * Math.sin(i));
  const u0 = y.map((_, i) => 0.05 * Math.cos(3 * i));

  it('with the quadratic PI objective it reproduces the closed-form predictor (trajectory, loss, test predictions)', () => {
    const lambda = 2;
    const closed = createPiPredictor({ gram: H, y, z, lambda, eta: 0.01, outputs: K, u0, test: { gram: Hx } });
    const eta = 0.9 / ((1 + lambda) * closed.stability.mu1);
    const exact = createPiPredictor({ basis: closed.basis, y, z, lambda, eta, outputs: K, u0, test: { gram: Hx } });
    const steps = [0, 1, 7, 60, 300];
    const gen = predictGeneric({ gram: H, loss: piObjective(y, z, lambda), eta, outputs: K, u0, test: { gram: Hx } }, steps);
    const curves = exact.lossCurves(steps);
    steps.forEach((k, i) => {
      const u = exact.trajectory(k);
      for (let j = 0; j < u.length; j++) expect(Math.abs(gen.u[i][j] - u[j])).toBeLessThan(1e-12);
      expect(gen.loss[i]).toBeCloseTo(curves.total[i], 10);
      const f = exact.testPredictions(k);
      for (let j = 0; j < f.length; j++) expect(Math.abs(gen.test![i][j] - f[j])).toBeLessThan(1e-12);
    });
  });

  it('takes an operator as well as a dense Gram, records only the requested steps', () => {
    const loss = squaredLoss(y);
    const a = predictGeneric({ gram: H, loss, eta: 0.05, outputs: K }, [3, 0]);
    const b = predictGeneric({ gram: denseOperator(H), loss, eta: 0.05, outputs: K }, [0, 3]);
    expect(a.steps).toEqual([0, 3]);
    expect(Array.from(a.u[1])).toEqual(Array.from(b.u[1]));
    expect(a.test).toBeUndefined();
  });

  it('sumLosses adds values and gradients; bad shapes and non-finite gradients are refused', () => {
    const l = sumLosses(squaredLoss([1, 2], 1), squaredLoss([0, 0], 3));
    expect(l.value(Float64Array.from([1, 1]))).toBeCloseTo(0.5 * 1 + 1.5 * 2, 14);
    expect(Array.from(l.grad(Float64Array.from([1, 1])))).toEqual([0 + 3, -1 + 3]);
    expect(() => predictGeneric({ gram: H, loss: squaredLoss(y), eta: 0.1, outputs: 3 }, [1])).toThrow(/u0|outputs|\[40, 3\]/);
    const nan = { description: 'nan', value: () => 0, grad: (u: Float64Array) => u.map(() => NaN) };
    expect(() => predictGeneric({ gram: H, loss: nan, eta: 0.1, outputs: K }, [2])).toThrow(/NaN/);
  });
});
