import { createRng, PiktError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import type { NtkWarning } from '../warnings.js';
import { createPiPredictor } from './pi-predictor.js';
import { simulateLinearizedGd, type LinearizedModel } from '../testing/linearized-gd.js';
import { cholesky } from '@pikt/linalg';

/** A linearized model f(x; W) = f0(x) + J(x) (W - W0) with random Jacobians, K = 2 outputs. */
function model(n: number, p: number, nTest: number, seed: number): LinearizedModel {
  const rng = createRng(seed);
  const K = 2;
  const J = rng.child('J').fillNormal(new Float64Array(n * p), 0, 1 / Math.sqrt(p));
  const Jt = rng.child('Jt').fillNormal(new Float64Array(nTest * p), 0, 1 / Math.sqrt(p));
  const y = Float64Array.from({ length: n * K }, (_, i) => ((i * 2654435761) % 7 < 3 ? 1 : -1));
  const noise = rng.child('z').fillNormal(new Float64Array(n * K), 0, 0.4);
  const z = y.map((v, i) => 0.7 * v + noise[i]);
  const u0 = rng.child('u0').fillNormal(new Float64Array(n * K), 0, 0.1);
  const f0 = rng.child('f0').fillNormal(new Float64Array(nTest * K), 0, 0.1);
  const yTest = Float64Array.from({ length: nTest * K }, (_, i) => (i % 3 === 0 ? 1 : -1));
  return { n, p, K, nTest, J, Jt, y, z, u0, f0, yTest };
}

/** H = J J^T and H(X*, X) = Jt J^T. */
function grams(m: LinearizedModel): { H: Float64Array; Hx: Float64Array } {
  const { n, p, nTest, J, Jt } = m;
  const H = new Float64Array(n * n);
  const Hx = new Float64Array(nTest * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let q = 0; q < p; q++) H[i * n + j] += J[i * p + q] * J[j * p + q];
  for (let i = 0; i < nTest; i++) for (let j = 0; j < n; j++) for (let q = 0; q < p; q++) Hx[i * n + j] += Jt[i * p + q] * J[j * p + q];
  return { H, Hx };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('PI predictor against exact float64 GD on a linearized model', () => {
  const m = model(24, 60, 7, 1);
  const { H, Hx } = grams(m);
  for (const [lambda, etaFactor] of [[0, 0.9], [1, 1], [4, 1.6]] as const) {
    it(`lambda = ${lambda}, eta = ${etaFactor} / ((1 + lambda) mu_1): trajectory, losses, test predictions, weight distance (P1, P2, P5, P7)`, () => {
      const probe = createPiPredictor({ gram: H, y: m.y, z: m.z, lambda, eta: 1, outputs: 2 });
      const eta = etaFactor / ((1 + lambda) * probe.stability.mu1);
      const pred = createPiPredictor({ basis: probe.basis, y: m.y, z: m.z, lambda, eta, outputs: 2, u0: m.u0, test: { gram: Hx, f0: m.f0, y: m.yTest } });
      expect(pred.stability.stable).toBe(true);
      const steps = [0, 1, 2, 5, 17, 100, 1000];
      const sim = simulateLinearizedGd(m, { lambda, eta, steps });
      const curves = pred.lossCurves(steps);
      steps.forEach((k, i) => {
        expect(maxDiff(pred.trajectory(k), sim.u[i])).toBeLessThan(1e-12);
        expect(maxDiff(pred.testPredictions(k), sim.fTest[i])).toBeLessThan(1e-12);
        expect(Math.abs(curves.label[i] - sim.labelLoss[i])).toBeLessThan(1e-11 * (1 + sim.labelLoss[i]));
        expect(Math.abs(curves.pi[i] - sim.piLoss[i])).toBeLessThan(1e-11 * (1 + sim.piLoss[i]));
        expect(curves.total[i]).toBeCloseTo(curves.label[i] + curves.pi[i], 12);
        expect(Math.abs(pred.weightDistance(k) - sim.weightDistance[i])).toBeLessThan(1e-11);
        const metrics = pred.testMetrics(k);
        expect(metrics.loss).toBeCloseTo(sim.testLoss[i], 10);
      });
      // At convergence: u(inf) = ybar, label error alpha ||z - y||, W distance = capacity.
      const alpha = lambda / (1 + lambda);
      const ybar = m.y.map((v, i) => (v + lambda * m.z[i]) / (1 + lambda));
      expect(maxDiff(pred.converged(), ybar)).toBeLessThan(1e-12);
      expect(maxDiff(sim.u[steps.length - 1], ybar)).toBeLessThan(1e-9);
      const le = pred.labelError();
      const dzy = Math.sqrt(m.z.reduce((a, v, i) => a + (v - m.y[i]) ** 2, 0));
      expect(le.predicted).toBeCloseTo(alpha * dzy, 12);
      expect(le.atConvergence).toBeCloseTo(alpha * dzy, 10);
      const cap = pred.capacity();
      expect(cap.jitter).toBe(0);
      expect(Math.abs(cap.value - sim.weightDistance[steps.length - 1]) / cap.value).toBeLessThan(1e-9);
      expect(maxDiff(pred.testPredictions(Infinity), sim.fTest[steps.length - 1])).toBeLessThan(1e-9);
    });
  }

  it('iterations to eps equal the first step where simulated GD gets there, with and without the teacher (P6)', () => {
    const lambda = 2;
    const probe = createPiPredictor({ gram: H, y: m.y, z: m.z, lambda, eta: 1, outputs: 2 });
    const eta = 0.5 / ((1 + lambda) * probe.stability.mu1);
    const pred = createPiPredictor({ basis: probe.basis, y: m.y, z: m.z, lambda, eta, outputs: 2, u0: m.u0 });
    for (const eps of [0.3, 1e-2, 1e-6]) {
      const r = pred.iterationsToEps(eps);
      const s = eta * (1 + lambda);
      // with the teacher: GD on the PI objective, ||u(k) - ybar|| <= eps ||ybar - u0||
      const ybar = m.y.map((v, i) => (v + lambda * m.z[i]) / (1 + lambda));
      expect(r.withTeacher).toBe(firstStepWithin(m, H, ybar, s, eps));
      // without: GD on the labels alone at the same effective step s
      expect(r.withoutTeacher).toBe(firstStepWithin(m, H, m.y, s, eps));
      expect(r.effectiveStep).toBe(s);
    }
  });

  it('Laplace form: U(s) solves (sI + cH) U = u0 + cH ybar / s, and s U(s) -> ybar as s -> 0 (final value theorem)', () => {
    const lambda = 1;
    const eta = 0.3;
    const pred = createPiPredictor({ gram: H, y: m.y, z: m.z, lambda, eta, outputs: 2, u0: m.u0 });
    const c = eta * (1 + lambda);
    const n = m.n;
    const ybar = m.y.map((v, i) => (v + lambda * m.z[i]) / (1 + lambda));
    const sv = 0.7;
    const A = H.map((v, i) => c * v + (i % (n + 1) === 0 ? sv : 0));
    const chol = cholesky(A);
    const U = pred.laplace(sv);
    for (let q = 0; q < 2; q++) {
      const rhs = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let hy = 0;
        for (let j = 0; j < n; j++) hy += H[i * n + j] * ybar[j * 2 + q];
        rhs[i] = m.u0[i * 2 + q] + (c * hy) / sv;
      }
      const sol = chol.solve(rhs);
      for (let i = 0; i < n; i++) expect(U[i * 2 + q]).toBeCloseTo(sol[i], 11);
    }
    const tiny = 1e-9;
    expect(maxDiff(pred.laplace(tiny).map((v) => v * tiny), ybar)).toBeLessThan(1e-6);
  });

  it('complexity term sqrt(2 ybar^T H^-1 ybar / n) and alignment energies', () => {
    const lambda = 3;
    const pred = createPiPredictor({ gram: H, y: m.y, z: m.z, lambda, eta: 0.1, outputs: 2 });
    const ybar = m.y.map((v, i) => (v + lambda * m.z[i]) / (1 + lambda));
    const chol = cholesky(H);
    let quad = 0;
    for (let q = 0; q < 2; q++) {
      const col = Float64Array.from({ length: m.n }, (_, i) => ybar[i * 2 + q]);
      const x = chol.solve(col);
      for (let i = 0; i < m.n; i++) quad += col[i] * x[i];
    }
    expect(pred.complexityTerm().value).toBeCloseTo(Math.sqrt((2 * quad) / m.n), 10);
    const al = pred.alignment();
    const sum = (a: Float64Array) => a.reduce((p, v) => p + v, 0);
    expect(sum(al.y)).toBeCloseTo(m.y.reduce((p, v) => p + v * v, 0), 10);
    expect(sum(al.z)).toBeCloseTo(m.z.reduce((p, v) => p + v * v, 0), 10);
    expect(sum(al.ybar)).toBeCloseTo(ybar.reduce((p, v) => p + v * v, 0), 10);
    expect(Array.from(al.teacherTarget)).toEqual(Array.from(al.ybar)); // u0 = 0
    expect(sum(al.plainTarget)).toBeCloseTo(sum(al.y), 10);
  });

  it('a rank-deficient Gram: null-space components stay at u0 and H^-1 uses a reported jitter', () => {
    const low = model(24, 10, 3, 2);
    const g = grams(low);
    const probe = createPiPredictor({ gram: g.H, y: low.y, z: low.z, lambda: 1, eta: 1e-3, outputs: 2 });
    const eta = 0.5 / (2 * probe.stability.mu1);
    const pred = createPiPredictor({ basis: probe.basis, y: low.y, z: low.z, lambda: 1, eta, outputs: 2, u0: low.u0 });
    const sim = simulateLinearizedGd(low, { lambda: 1, eta, steps: [20000] });
    expect(maxDiff(pred.converged(), sim.u[0])).toBeLessThan(1e-8);
    const cap = pred.capacity();
    expect(cap.jitter).toBeGreaterThan(0);
    expect(cap.relativeJitter).toBeGreaterThanOrEqual(1e-12);
    expect(Math.abs(pred.weightDistance(20000) - sim.weightDistance[0])).toBeLessThan(1e-9);
  });

  it('P3: warns above the stability bound (or throws on request), and then eps is never reached', () => {
    const seen: NtkWarning[] = [];
    const probe = createPiPredictor({ gram: H, y: m.y, z: m.z, lambda: 1, eta: 1, outputs: 2, onWarning: (w) => seen.push(w) });
    const bound = probe.stability.etaMax;
    expect(bound).toBeCloseTo(2 / (2 * probe.stability.mu1), 14);
    expect(seen.map((w) => w.code)).toEqual(bound > 1 ? [] : ['PIKT_NTK_UNSTABLE_STEP']);
    const eta = 1.01 * bound;
    const bad = createPiPredictor({ basis: probe.basis, y: m.y, z: m.z, lambda: 1, eta, outputs: 2, onWarning: (w) => seen.push(w) });
    expect(bad.stability.stable).toBe(false);
    expect(seen.at(-1)?.details.etaMax).toBe(bound);
    expect(bad.iterationsToEps(1e-3).withTeacher).toBeNull();
    expect(() => createPiPredictor({ basis: probe.basis, y: m.y, z: m.z, lambda: 1, eta, outputs: 2, onUnstable: 'throw' })).toThrow(PiktError);
  });

  it('refuses missing or mis-shaped inputs with errors naming the field', () => {
    expect(() => createPiPredictor({ y: m.y, z: m.z, lambda: 1, eta: 0.1 })).toThrow(/gram/);
    expect(() => createPiPredictor({ gram: H, y: m.y, z: m.z, lambda: 1, eta: 0.1 })).toThrow(/y \(row-major/);
    expect(() => createPiPredictor({ gram: H, y: m.y, z: m.z, lambda: -1, eta: 0.1, outputs: 2 })).toThrow(/lambda/);
    expect(() => createPiPredictor({ gram: H, y: m.y, z: m.z, lambda: 1, eta: 0, outputs: 2 })).toThrow(/eta/);
    const p = createPiPredictor({ gram: H, y: m.y, z: m.z, lambda: 1, eta: 0.1, outputs: 2 });
    expect(() => p.testPredictions(3)).toThrow(/test/);
    expect(() => p.trajectory(1.5)).toThrow(/integer/);
  });
});

/** First k with ||u(k) - target|| <= eps ||target - u0|| for u(k+1) = u(k) - s H (u(k) - target). */
function firstStepWithin(m: LinearizedModel, H: Float64Array, target: Float64Array, s: number, eps: number): number | null {
  const { n, K } = m;
  const r = m.u0.map((v, i) => v - target[i]);
  const r0 = Math.sqrt(r.reduce((a, v) => a + v * v, 0));
  const next = new Float64Array(n * K);
  for (let k = 0; k < 100000; k++) {
    const norm = Math.sqrt(r.reduce((a, v) => a + v * v, 0));
    if (norm <= eps * r0) return k;
    for (let i = 0; i < n; i++) {
      for (let q = 0; q < K; q++) {
        let hr = 0;
        for (let j = 0; j < n; j++) hr += H[i * n + j] * r[j * K + q];
        next[i * K + q] = r[i * K + q] - s * hr;
      }
    }
    r.set(next);
  }
  return null;
}
