import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { hinf } from '../kernels/analytic-kernel.js';
import { twoLayerBlockGram } from '../operators/gram-builders.js';
import { signLabels, unitPoints } from '../testing/fixtures.js';
import type { NtkWarning } from '../warnings.js';
import { createLanczosPredictor } from './lanczos-predictor.js';
import { createPiPredictor } from './pi-predictor.js';
import { denseOperator } from '@pikt/linalg';

const quiet = (): void => {};
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

function problem(n: number, d: number, seed: number) {
  const x = unitPoints(n, d, seed);
  const y = signLabels(x, d, seed + 1);
  const noise = createRng(seed + 2).fillNormal(new Float64Array(n), 0, 0.3);
  const z = y.map((v, i) => 0.8 * v + noise[i]);
  return { x, y, z };
}

describe('Lanczos + Gauss quadrature predictor (large-n path)', () => {
  it('n = 2000, float32 block Gram: loss curves agree with the dense path to 1e-6 relative, iterations to eps = 1e-2 within 1', () => {
    const n = 2000, d = 20, lambda = 1;
    const { x, y, z } = problem(n, d, 1);
    const gram = twoLayerBlockGram(x, { inputDim: d, blockSize: 512, onWarning: quiet });
    const dense = createPiPredictor({ gram: gram.toDense(), y, z, lambda, eta: 1e-9 });
    const eta = 1 / ((1 + lambda) * dense.stability.mu1);
    const dp = createPiPredictor({ basis: dense.basis, y, z, lambda, eta });
    const lp = createLanczosPredictor({ operator: gram, y, z, lambda, eta, watchSteps: [1000], watchEps: [1e-2] });
    expect(lp.converged).toBe(true);
    expect(lp.lanczosSteps).toBeLessThan(200);
    // The cross runs e0 +- d (losses only) stop before e0, which runs to the end (its basis serves the trajectory and capacity).
    expect(lp.runSteps[0]).toBe(lp.lanczosSteps);
    expect(Math.max(lp.runSteps[2], lp.runSteps[3])).toBeLessThan(lp.lanczosSteps);
    // They are checked at every step, so they stop at their own step (38 here), not at a multiple of
    // 10 as e0 and the plain target do; each step earlier is one product with 2 vectors fewer.
    expect(lp.runSteps).toEqual([50, 50, 38, 38]);
    const steps = [0, 1, 10, 100, 300, 1000];
    const a = dp.lossCurves(steps);
    const b = lp.lossCurves(steps);
    steps.forEach((_, i) => {
      expect(rel(b.label[i], a.label[i])).toBeLessThan(1e-6);
      expect(rel(b.pi[i], a.pi[i])).toBeLessThan(1e-6);
      expect(rel(b.total[i], a.total[i])).toBeLessThan(1e-6);
      expect(b.totalLower[i]).toBeLessThanOrEqual(a.total[i] * (1 + 1e-9));
      expect(b.totalUpper[i]).toBeGreaterThanOrEqual(a.total[i] * (1 - 1e-9));
    });
    expect(b.errorEstimate).toBeLessThan(1e-6);
    const ki = dp.iterationsToEps(1e-2);
    const kl = lp.iterationsToEps(1e-2);
    expect(Math.abs(kl.withTeacher! - ki.withTeacher!)).toBeLessThanOrEqual(1);
    expect(Math.abs(kl.withoutTeacher! - ki.withoutTeacher!)).toBeLessThanOrEqual(1);
    expect(kl.withTeacherBracket[0]!).toBeLessThanOrEqual(ki.withTeacher!);
    expect(kl.withTeacherBracket[1]!).toBeGreaterThanOrEqual(ki.withTeacher!);
    expect(rel(lp.stability.mu1, dense.stability.mu1)).toBeLessThan(1e-10);
    // Capacity: the CG iterate inside the Lanczos run, and explicit CG, against the dense H^-1.
    const cap = lp.capacity();
    const capCg = lp.capacity({ method: 'cg', tol: 1e-10 });
    expect(rel(cap.value, dp.capacity().value)).toBeLessThan(1e-4);
    expect(cap.errorEstimate).toBeGreaterThanOrEqual(0);
    expect(capCg.converged).toBe(true);
    expect(rel(capCg.value, dp.capacity().value)).toBeLessThan(1e-6);
    expect(rel(lp.complexityTerm({ method: 'cg', tol: 1e-10 }).value, dp.complexityTerm().value)).toBeLessThan(1e-6);
  });

  it('trajectory, two outputs, lambda = 0, and the measures of both P6 targets (n = 300, dense operator)', () => {
    const n = 300, d = 12;
    const p1 = problem(n, d, 5);
    const p2 = problem(n, d, 9);
    const H = hinf(p1.x, null, { inputDim: d, onWarning: quiet }).data;
    const y = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? p2.y[i >> 1] : p1.y[i >> 1]));
    const z = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? p2.z[i >> 1] : p1.z[i >> 1]));
    const u0 = y.map((_, i) => 0.01 * Math.sin(i));
    for (const lambda of [0, 3]) {
      const probe = createPiPredictor({ gram: H, y, z, lambda, eta: 1e-9, outputs: 2 });
      const eta = 0.8 / ((1 + lambda) * probe.stability.mu1);
      const dp = createPiPredictor({ basis: probe.basis, y, z, lambda, eta, outputs: 2, u0 });
      const lp = createLanczosPredictor({ operator: denseOperator(H), y, z, lambda, eta, outputs: 2, u0 });
      for (const k of [5, 200]) {
        const ud = dp.trajectory(k);
        const ul = lp.trajectory(k);
        for (let i = 0; i < ud.length; i++) expect(Math.abs(ul[i] - ud[i])).toBeLessThan(1e-7);
      }
      const c = [0, 50, 500];
      const a = dp.lossCurves(c).total;
      const b = lp.lossCurves(c).total;
      c.forEach((_, i) => expect(rel(b[i], a[i])).toBeLessThan(1e-6));
      if (lambda === 3) {
        // A relative bracket tolerance never needs more Lanczos steps than one iteration does.
        const loose = createLanczosPredictor({ operator: denseOperator(H), y, z, lambda, eta, outputs: 2, u0, watchEps: [1e-6], iterationTolerance: 0.01 });
        const tight = createLanczosPredictor({ operator: denseOperator(H), y, z, lambda, eta, outputs: 2, u0, watchEps: [1e-6] });
        expect(loose.lanczosSteps).toBeLessThanOrEqual(tight.lanczosSteps);
        const [lo, hi] = loose.iterationsToEps(1e-6).withTeacherBracket;
        expect(hi! - lo!).toBeLessThanOrEqual(Math.max(1, 0.01 * lo!));
      }
      const al = lp.alignment();
      const t2 = dp.alignment().teacherTarget.reduce((s, v) => s + v, 0);
      expect(al.teacherTarget.reduce((s, m) => s + m.weights.reduce((p, w) => p + w, 0), 0)).toBeCloseTo(t2, 8);
      expect(al.plainTarget).toHaveLength(2);
    }
  });

  it('warns when stopped before convergence and when eta is above the stability bound', () => {
    const n = 200, d = 10;
    const { x, y, z } = problem(n, d, 3);
    const H = hinf(x, null, { inputDim: d, onWarning: quiet }).data;
    const seen: NtkWarning[] = [];
    const lp = createLanczosPredictor({ operator: denseOperator(H), y, z, lambda: 1, eta: 1e-4, maxSteps: 5, onWarning: (w) => seen.push(w) });
    expect(lp.converged).toBe(false);
    expect(seen.map((w) => w.code)).toContain('PIKT_NTK_QUADRATURE_NOT_CONVERGED');
    const big = createLanczosPredictor({ operator: denseOperator(H), y, z, lambda: 1, eta: 10, maxSteps: 20, onWarning: (w) => seen.push(w) });
    expect(big.stability.stable).toBe(false);
    expect(seen.map((w) => w.code)).toContain('PIKT_NTK_UNSTABLE_STEP');
    expect(() => createLanczosPredictor({ operator: denseOperator(H), y, z, lambda: 1, eta: 1, test: { gram: H } })).toThrow(/test/);
  });
});
