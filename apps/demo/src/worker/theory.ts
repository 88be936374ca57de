import { createPiPredictor, hinf, predictGeneric, regularizerLoss, sumLosses } from '@pikt/ntk';
import type { PiPredictor } from '@pikt/ntk';
import { hintonKl, labelFit } from '@pikt/regularizers';
import type { Task } from '../data.js';
import { alphaOf, curvature, learningRate, type DemoState } from '../state.js';

/** The kernel-regime prediction of one run (SCIENCE.md section 3 on Hinf; section 4 for KL). */
export interface Theory {
  H: Float64Array; hTest: Float64Array; muMax: number; eta: number; bound: number; stable: boolean; c: number;
  ybar: Float64Array; scale: number;
  kind: 'closed-form' | 'generic' | 'none';
  /** u(k) predicted on the training points (null without a prediction). */
  trajectory: (k: number) => Float64Array | null;
  testPrediction: (k: number) => Float64Array | null;
  predictor: PiPredictor;
}

/** The PI weight the theory sees: 0 when no PI term trains (regularizer 'none'). */
export function piLambda(state: DemoState): number {
  return state.regularizer === 'none' ? 0 : state.lambda;
}

export function buildTheory(task: Task, z: Float64Array, state: DemoState): Theory {
  const { n, d, x, y } = task;
  const H = hinf(x, null, { inputDim: d, onWarning: () => undefined }).data;
  const hTest = hinf(task.xTest, x, { inputDim: d, onWarning: () => undefined }).data;
  const lambda = piLambda(state);
  // One eigendecomposition; every other predictor below reuses its basis.
  const probe = createPiPredictor({ gram: H, y, z, lambda, eta: 1, onUnstable: 'warn', onWarning: () => undefined });
  const muMax = probe.stability.mu1;
  const c = curvature({ lambda, regularizer: state.regularizer });
  const { eta, bound, stable } = learningRate(state.step, c, muMax);
  const quiet = { onUnstable: 'warn' as const, onWarning: () => undefined };
  // For the closed form, z only matters through lambda: with 'none' (lambda 0) it is the plain-GD prediction.
  const predictor = createPiPredictor({ basis: probe.basis, y, z, lambda, eta, test: { gram: hTest, y: task.yTest }, ...quiet });
  const ybar = Float64Array.from(y, (v, i) => (v + lambda * z[i]) / (1 + lambda));
  let scale = 0;
  for (const v of ybar) scale = Math.max(scale, Math.abs(v));
  const base = { H, hTest, muMax, eta, bound, stable, c, ybar, scale, predictor };
  if (state.regularizer === 'feature' && lambda > 0) {
    return { ...base, kind: 'none', trajectory: () => null, testPrediction: () => null };
  }
  if (state.regularizer === 'kl' && lambda > 0) {
    // Section 4: no closed form; integrate u(k+1) = u(k) - eta H grad_u L(u(k)) with the very terms that train.
    const loss = sumLosses(
      regularizerLoss(labelFit({ loss: 'squared' }), { n, outputs: 1, targets: y }),
      regularizerLoss(hintonKl({ weight: lambda, temperature: state.temperature }), { n, outputs: 1, teacherLogits: z }),
    );
    const steps = Array.from({ length: state.steps + 1 }, (_, k) => k);
    const gen = predictGeneric({ gram: H, loss, eta, test: { gram: hTest } }, steps);
    return { ...base, kind: 'generic', trajectory: (k) => gen.u[k] ?? null, testPrediction: (k) => gen.test?.[k] ?? null };
  }
  return { ...base, kind: 'closed-form', trajectory: (k) => predictor.trajectory(k), testPrediction: (k) => predictor.testPredictions(k) };
}

export const sq = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
};

/** At most `points` steps of 0..K, both ends kept. */
export function thinSteps(K: number, points: number): number[] {
  if (K + 1 <= points) return Array.from({ length: K + 1 }, (_, k) => k);
  const s = new Set<number>();
  for (let i = 0; i < points; i++) s.add(Math.round((i * K) / (points - 1)));
  return [...s].sort((a, b) => a - b);
}

/** P4/P5 over a grid of alpha in [0, 0.95]: alpha ||z - y|| and sqrt((ybar - u0)^T H^-1 (ybar - u0)). */
export function tradeoff(theory: Theory, y: Float64Array, z: Float64Array, state: DemoState) {
  const alphas = Array.from({ length: 20 }, (_, i) => (0.95 * i) / 19);
  const dist = Math.sqrt(sq(z, y));
  const quiet = { onUnstable: 'warn' as const, onWarning: () => undefined };
  const capAt = (alpha: number) => {
    const lambda = alpha / (1 - alpha);
    const p = createPiPredictor({ basis: theory.predictor.basis, y, z, lambda, eta: 1e-9, ...quiet });
    return p.capacity().value;
  };
  const a = alphaOf(piLambda(state));
  return {
    alpha: alphas, labelError: alphas.map((al) => al * dist), capacity: alphas.map(capAt),
    current: { alpha: a, labelError: a * dist, capacity: theory.predictor.capacity().value },
  };
}
