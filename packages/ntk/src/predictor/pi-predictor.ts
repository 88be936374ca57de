import { InvalidOptionError, PiktError, requireNumber } from '@pikt/core';
import { consoleWarning, type WarningSink } from '../warnings.js';
import { interleave, jitteredInverse, preparePiProblem, type PiProblem, type PiProblemInput } from './pi-problem.js';
import { leastIterations, phiK, powRho, type SpectralMeasure } from './spectral-math.js';
import { testMetrics, type TestMetrics } from './test-metrics.js';
import type { Alignment, Capacity, IterationsToEps, LossCurves, Stability } from './types.js';
import { type EigenBasis, eighFactor, type RealArray } from '@pikt/linalg';

export interface PiPredictorInput extends PiProblemInput {
  /** The train Gram H [n, n] (row-major, symmetric), or its eigenbasis to reuse across lambdas. */
  gram?: RealArray;
  basis?: EigenBasis;
  /** Jitter for H^-1 (capacity, complexity, k = Infinity): 'auto' (default) or a fixed delta. */
  jitter?: 'auto' | number;
  /** eta above the stability bound: 'warn' (default) or 'throw'. */
  onUnstable?: 'warn' | 'throw';
  onWarning?: WarningSink;
}

/**
 * The kernel-regime predictor for the PI-regularized objective (SCIENCE.md sections 2-3): with
 * H = sum_j mu_j v_j v_j^T, s = eta (1 + lambda) and rho_j = 1 - s mu_j, GD on
 * L = 1/2 ||u - y||^2 + lambda/2 ||u - z||^2 in the kernel regime is
 *
 *     u(k) - ybar = (I - s H)^k (u(0) - ybar),     v_j^T (u(k) - ybar) = rho_j^k v_j^T (u(0) - ybar)   (P2)
 *
 * and every quantity below is a function of mu_j and coordinates in the eigenbasis. Built on the
 * dense eigenbasis (`eighFactor`, O(n^3)); `createLanczosPredictor` is the large-n counterpart.
 */
export interface PiPredictor {
  readonly problem: PiProblem;
  readonly basis: EigenBasis;
  /** P3: GD converges iff eta < 2 / ((1 + lambda) mu_1). */
  readonly stability: Stability;
  /** u(k) on the training points, row-major [n, K]. */
  trajectory(k: number): Float64Array;
  /** Label 1/2||u-y||^2, PI lambda/2||u-z||^2 and total loss at each step in `steps`. */
  lossCurves(steps: readonly number[]): LossCurves;
  /** P7: f_k(X*) = f_0(X*) + H(X*, X) H^-1 (I - (I - sH)^k)(ybar - u0), row-major [nTest, K]; k may be Infinity. */
  testPredictions(k: number): Float64Array;
  /** Test loss 1/2||f - y*||^2, MSE and accuracy at step k (needs test.y). */
  testMetrics(k: number): TestMetrics;
  /** P1: u(inf) = ybar on range(H); null-space components of u0 - ybar cannot move and are kept. */
  converged(): Float64Array;
  /** P1, Laplace domain: U(s) = (sI + cH)^-1 (u0 + c H ybar / s), c = eta (1 + lambda) (gradient flow). */
  laplace(sVar: number): Float64Array;
  /** P4: label error at convergence, alpha ||z - y||, beside ||u(inf) - y|| from the spectrum. */
  labelError(): { predicted: number; atConvergence: number };
  /** P5: sqrt((ybar - u0)^T H^-1 (ybar - u0)), the distance ||W(inf) - W(0)||_F. */
  capacity(): Capacity;
  /** ||W(k) - W(0)||_F of the linearized model: sqrt(sum_j mu_j phi_k(mu_j)^2 c_j^2), no inverse needed. */
  weightDistance(k: number): number;
  /** P6: least k with sum_j rho_j^(2k) (v_j.t)^2 <= eps^2 ||t||^2, t = ybar - u0 (teacher) and y - u0 (none). */
  iterationsToEps(eps: number): IterationsToEps;
  /** P7: sqrt(2 ybar^T H^-1 ybar / n), summed over outputs. */
  complexityTerm(): Capacity;
  /** Energy of y, z, ybar and both P6 targets on each eigenvector (summed over outputs). */
  alignment(): Alignment;
}

export function createPiPredictor(input: PiPredictorInput): PiPredictor {
  if (!input.basis && !input.gram) throw new InvalidOptionError('gram', undefined, 'the train Gram H (row-major n x n) or a precomputed basis');
  const basis = input.basis ?? eighFactor(input.gram as RealArray);
  const n = basis.n;
  const problem = preparePiProblem(input, n);
  const { K, s, alpha, lambda } = problem;
  const mu = basis.values;
  const sink = input.onWarning ?? consoleWarning;
  const stability = stabilityOf(mu[0], problem);
  if (!stability.stable) {
    const msg = `eta = ${problem.eta} is at or above the stability bound 2 / ((1 + lambda) mu_1) = ${stability.etaMax.toPrecision(6)} (mu_1 = ${mu[0].toPrecision(6)}): GD diverges (P3).`;
    if (input.onUnstable === 'throw') throw new PiktError('PIKT_NTK_UNSTABLE_STEP', msg, `Use eta < ${stability.etaMax.toPrecision(6)}.`);
    sink({ code: 'PIKT_NTK_UNSTABLE_STEP', message: `${msg} Predictions are still computed.`, details: { eta: problem.eta, etaMax: stability.etaMax, mu1: mu[0] } });
  }
  // Coordinates in the eigenbasis, per output column.
  const c = problem.e0.map((v) => basis.project(v));
  const b = problem.d.map((v) => basis.project(v));
  const dNorm2 = problem.d.map((v) => v.reduce((acc, x) => acc + x * x, 0));
  const inverse = jitteredInverse(mu, input.jitter ?? 'auto');

  const lossAt = (k: number): { label: number; pi: number } => {
    let label = 0;
    let pi = 0;
    for (let q = 0; q < K; q++) {
      for (let j = 0; j < n; j++) {
        const r = powRho(s, mu[j], k) * c[q][j];
        const bj = b[q][j];
        label += (r + alpha * bj) ** 2;
        pi += (r - (1 - alpha) * bj) ** 2;
      }
    }
    return { label: 0.5 * label, pi: 0.5 * lambda * pi };
  };

  const filtered = (k: number): Float64Array[] =>
    // g_q = V diag(phi_k) V^T (ybar - u0) = -V (phi_k .* c_q); at k = Infinity phi = 1 / (mu + delta).
    c.map((cq) => basis.expand(cq.map((cj, j) => -cj * (k === Infinity ? inverse.inv[j] : phiK(s, mu[j], k)))));

  const testPredictions = (k: number): Float64Array => {
    const t = problem.test;
    if (!t) throw new InvalidOptionError('test', undefined, 'test: { gram: H(X*, X) } when creating the predictor');
    requireStep(k, true);
    const g = filtered(k);
    const out = t.f0.map((f) => Float64Array.from(f));
    for (let q = 0; q < K; q++) {
      for (let i = 0; i < t.nTest; i++) {
        let acc = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) acc += t.gram[row + j] * g[q][j];
        out[q][i] += acc;
      }
    }
    return interleave(out);
  };

  const measure = (coords: (q: number, j: number) => number): SpectralMeasure[] =>
    Array.from({ length: K }, (_, q) => ({ nodes: mu, weights: Float64Array.from({ length: n }, (_, j) => coords(q, j) ** 2) }));

  return {
    problem,
    basis,
    stability,
    trajectory(k) {
      requireStep(k, false);
      return interleave(c.map((cq, q) => {
        const dev = basis.expand(cq.map((cj, j) => powRho(s, mu[j], k) * cj));
        return dev.map((v, i) => v + problem.ybar[q][i]);
      }));
    },
    lossCurves(steps) {
      const label = new Float64Array(steps.length);
      const pi = new Float64Array(steps.length);
      steps.forEach((k, i) => {
        requireStep(k, false);
        const l = lossAt(k);
        label[i] = l.label;
        pi[i] = l.pi;
      });
      return { steps: [...steps], label, pi, total: label.map((v, i) => v + pi[i]) };
    },
    testPredictions,
    testMetrics(k) {
      const t = problem.test;
      if (!t?.y) throw new InvalidOptionError('test.y', undefined, 'test labels test: { gram, y } when creating the predictor');
      return testMetrics(testPredictions(k), interleave(t.y), K);
    },
    converged() {
      const floor = 1e-12 * Math.max(mu[0], 0);
      return interleave(c.map((cq, q) => {
        const stuck = basis.expand(cq.map((cj, j) => (mu[j] > floor ? 0 : cj)));
        return stuck.map((v, i) => v + problem.ybar[q][i]);
      }));
    },
    laplace(sVar) {
      requireNumber('s (Laplace variable)', sVar, { min: 0, minExclusive: true });
      const u0c = problem.u0.map((v) => basis.project(v));
      const ybc = problem.ybar.map((v) => basis.project(v));
      return interleave(u0c.map((uq, q) => basis.expand(uq.map((uj, j) => (uj + (s * mu[j] * ybc[q][j]) / sVar) / (sVar + s * mu[j])))));
    },
    labelError() {
      const predicted = alpha * Math.sqrt(dNorm2.reduce((a, v) => a + v, 0));
      const u = this.converged();
      let sq = 0;
      for (let q = 0; q < K; q++) for (let i = 0; i < n; i++) sq += (u[i * K + q] - problem.y[q][i]) ** 2;
      return { predicted, atConvergence: Math.sqrt(sq) };
    },
    capacity() {
      let sq = 0;
      for (const cq of c) for (let j = 0; j < n; j++) sq += cq[j] * cq[j] * inverse.inv[j];
      return { value: Math.sqrt(sq), jitter: inverse.jitter, relativeJitter: inverse.relativeJitter };
    },
    weightDistance(k) {
      requireStep(k, true);
      if (k === Infinity) return this.capacity().value;
      let sq = 0;
      for (const cq of c) for (let j = 0; j < n; j++) sq += Math.max(mu[j], 0) * phiK(s, mu[j], k) ** 2 * cq[j] * cq[j];
      return Math.sqrt(sq);
    },
    iterationsToEps(eps) {
      requireNumber('eps', eps, { min: 0, minExclusive: true });
      const teacher = measure((q, j) => c[q][j]);
      const plain = measure((q, j) => c[q][j] + alpha * b[q][j]);
      const norm2 = (m: SpectralMeasure[]): number => m.reduce((a, x) => a + x.weights.reduce((p, w) => p + w, 0), 0);
      return {
        eps,
        effectiveStep: s,
        withTeacher: leastIterations(teacher, s, eps * eps * norm2(teacher)),
        withoutTeacher: leastIterations(plain, s, eps * eps * norm2(plain)),
      };
    },
    complexityTerm() {
      let sq = 0;
      for (const yb of problem.ybar) {
        const cy = basis.project(yb);
        for (let j = 0; j < n; j++) sq += cy[j] * cy[j] * inverse.inv[j];
      }
      return { value: Math.sqrt((2 * sq) / n), jitter: inverse.jitter, relativeJitter: inverse.relativeJitter };
    },
    alignment() {
      const energy = (vs: Float64Array[]): Float64Array => {
        const e = new Float64Array(n);
        for (const v of vs) {
          const cv = basis.project(v);
          for (let j = 0; j < n; j++) e[j] += cv[j] * cv[j];
        }
        return e;
      };
      return {
        eigenvalues: Float64Array.from(mu),
        y: energy(problem.y),
        z: energy(problem.z),
        ybar: energy(problem.ybar),
        teacherTarget: Float64Array.from({ length: n }, (_, j) => c.reduce((a, cq) => a + cq[j] * cq[j], 0)),
        plainTarget: Float64Array.from({ length: n }, (_, j) => c.reduce((a, cq, q) => a + (cq[j] + alpha * b[q][j]) ** 2, 0)),
      };
    },
  };
}

/** P3 for a given mu_1. */
export function stabilityOf(mu1: number, p: { eta: number; lambda: number }): Stability {
  const etaMax = mu1 > 0 ? 2 / ((1 + p.lambda) * mu1) : Infinity;
  return { eta: p.eta, etaMax, stable: p.eta < etaMax, mu1, effectiveStep: p.eta * (1 + p.lambda) };
}

function requireStep(k: number, allowInfinity: boolean): void {
  if (k === Infinity && allowInfinity) return;
  if (!Number.isInteger(k) || k < 0) throw new InvalidOptionError('k (step)', k, allowInfinity ? 'an integer >= 0 or Infinity' : 'an integer >= 0');
}
