import { createPiPredictor, hinf } from '@pikt/ntk';
import { describe, expect, it } from 'vitest';
import { distance } from '@pikt/core';
import { evalStride, predictOnInitialKernel, stabilityOnInitialKernel } from './finite-width.js';

// Four unit-norm points in R^3 and a test pair, with their Hinf Grams (float64).
const x = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.6, 0.8, 0]);
const xt = Float64Array.from([0.8, 0.6, 0, 0, 0.6, 0.8]);
const H = hinf(x, null, { inputDim: 3, onWarning: () => undefined }).data;
const Ht = hinf(xt, x, { inputDim: 3, onWarning: () => undefined }).data;
const y = Float64Array.from([1, -1, 1, -1]);
const z = Float64Array.from([0.8, -0.5, 0.9, -0.7]);
const yTest = Float64Array.from([1, -1]);

describe('predictOnInitialKernel', () => {
  it('is the section-3 predictor on the Gram it is given, and its gap to its own trajectory is 0', () => {
    const lambda = 1;
    const ref = createPiPredictor({ gram: H, y, z, lambda, eta: 1, test: { gram: Ht, y: yTest }, onWarning: () => undefined });
    const eta = 1 / ((1 + lambda) * ref.basis.values[0]);
    const p = createPiPredictor({ gram: H, y, z, lambda, eta, test: { gram: Ht, y: yTest }, onWarning: () => undefined });
    const K = 25;
    const traj = Array.from({ length: K + 1 }, (_, k) => p.trajectory(k));
    const out = predictOnInitialKernel({ h0: H, h0Test: Ht, y, yTest, z, lambda, eta, steps: K, uMeasured: traj, eps: 0.05 });
    expect(out.trajectoryGapInit).toBe(0);
    expect(out.predicted.labelErrorFinalInit).toBeCloseTo(distance(traj[K], y), 10);
    expect(out.predicted.capacityInit).toBeCloseTo(p.weightDistance(K), 10);
    expect(out.predicted.iterationsToEpsInit).toBe(p.iterationsToEps(0.05).withTeacher);
    expect(out.predicted.testLossInit).toBeCloseTo(p.testMetrics(K).mse / 2, 10);
    expect(out.predicted.muMaxInit).toBeCloseTo(ref.basis.values[0], 10);
    // A measured trajectory off by 0.1 on one output at one step: gap 0.1 / max |ybar| (ybar = (y + z) / 2, max 0.95).
    const off = traj.map((u, k) => (k === 3 ? Float64Array.from(u, (v, i) => (i === 2 ? v + 0.1 : v)) : u));
    expect(predictOnInitialKernel({ h0: H, h0Test: Ht, y, yTest, z, lambda, eta, steps: K, uMeasured: off, eps: 0.05 }).trajectoryGapInit).toBeCloseTo(0.1 / 0.95, 9);
  });
});

describe('stabilityOnInitialKernel', () => {
  it('diverges iff eta (1 + lambda) mu_max >= 2 on the given Gram (diag(3, 1): mu_max = 3)', () => {
    const g = Float64Array.from([3, 0, 0, 1]);
    const ok = stabilityOnInitialKernel(g, 0.3, 1);
    expect(ok).toMatchObject({ muMaxInit: 3, divergedInit: 0 });
    expect(ok.stabilityBoundInit).toBeCloseTo(1 / 3, 11);
    expect(stabilityOnInitialKernel(g, 0.34, 1).divergedInit).toBe(1);
    expect(stabilityOnInitialKernel(g, 0.5, 0, 3).divergedInit).toBe(0);
  });
});

describe('evalStride', () => {
  it('divides the number of steps so the last evaluation is the final step', () => {
    expect(evalStride(300)).toBe(6);
    expect(evalStride(60)).toBe(1);
    expect(evalStride(500)).toBe(10);
    expect(evalStride(1000)).toBe(25);
    expect(evalStride(97)).toBe(1);
    for (const s of [60, 200, 300, 500, 1000, 97]) expect(s % evalStride(s)).toBe(0);
  });
});
