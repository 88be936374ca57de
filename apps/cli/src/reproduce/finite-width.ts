import { accuracy, distance, maxAbs } from '@pikt/core';
import type { ModelV1 } from '@pikt/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { eigvalsh } from '@pikt/linalg';
import { createPiPredictor, structuredNtkAsync } from '@pikt/ntk';
import { initialParams } from '@pikt/trainer';
import type { RunNumbers } from '../results/types.js';
import { r12, trajectoryGap } from './measures.js';

/** What the prediction on a run's own H(W(0)) needs: the Grams at initialization and what was measured. */
export interface InitialKernelInput {
  /** H(W(0)) on the training inputs (n x n) and H(W(0))(X*, X) (nTest x n), row-major. */
  h0: Float64Array;
  h0Test: Float64Array;
  y: Float64Array;
  yTest: Float64Array;
  /** The teacher's outputs (y itself without a teacher). */
  z: Float64Array;
  lambda: number;
  eta: number;
  /** Steps trained (K) and the measured outputs u(0..K). */
  steps: number;
  uMeasured: readonly Float64Array[];
  /** Target of iterations to eps (P6). */
  eps: number;
}

/**
 * The kernel-regime prediction on the width actually trained (SCIENCE.md section 3 with
 * H = H(W(0)) instead of Hinf): the linear recursion
 *
 *     u(k+1) - ybar = (I - eta (1+lambda) H(W(0))) (u(k) - ybar)
 *
 * and what follows from it (label error at step K, ||W(K) - W(0)||_F, iterations to eps, test
 * predictions f_k(X*) = H0(X*, X) H0^-1 (I - (I - eta (1+lambda) H0)^k)(ybar - u0)). Its gap to the
 * measurement leaves out the finite-width error of H(W(0)) against Hinf, so what remains is the
 * kernel drift during training (and float32 rounding). Fields carry the suffix `Init`.
 */
export function predictOnInitialKernel(input: InitialKernelInput): { predicted: RunNumbers; trajectoryGapInit: number } {
  const { y, z, lambda, eta, steps: K } = input;
  const p = createPiPredictor({ gram: input.h0, y, z, lambda, eta, test: { gram: input.h0Test, y: input.yTest }, onWarning: () => undefined });
  const ybar = Float64Array.from(y, (v, i) => (v + lambda * z[i]) / (1 + lambda));
  const uPred = Array.from({ length: K + 1 }, (_, k) => p.trajectory(k));
  const fK = p.testPredictions(K);
  const predicted: RunNumbers = {
    labelErrorFinalInit: r12(distance(uPred[K], y)),
    capacityInit: r12(p.weightDistance(K)),
    iterationsToEpsInit: p.iterationsToEps(input.eps).withTeacher,
    testLossInit: r12(distance(fK, input.yTest) ** 2 / (2 * input.yTest.length)),
    testAccuracyInit: r12(accuracy(fK, input.yTest, 1) ?? Number.NaN), // core's one tie rule, as measured
    muMaxInit: r12(p.basis.values[0]),
  };
  return { predicted, trajectoryGapInit: r12(trajectoryGap(input.uMeasured, uPred, maxAbs(ybar))) };
}

/**
 * Steps between test evaluations: the largest divisor of `steps` not above steps / 40, so the last
 * evaluation falls on the final step and test metrics are read there (not at step 294 of 300).
 */
export function evalStride(steps: number): number {
  const target = Math.max(1, Math.floor(steps / 40));
  for (let s = target; s > 1; s--) if (steps % s === 0) return s;
  return 1;
}

/** H(W(0)) of a student from its seed (the first layer it starts from), for runs that stopped early. */
export async function initialGram<P extends { W: Tensor }>(model: ModelV1<P>, seed: string, task: { x: Float64Array; d: number }, trainLayers: 'first' | 'both'): Promise<Float64Array> {
  const p = initialParams(model, seed, { inputDim: task.d, outputDim: 1 });
  const W0 = Float64Array.from(await p.W.data());
  model.dispose?.(p);
  return (await structuredNtkAsync(task.x, null, W0, { inputDim: task.d, trainLayers, onWarning: () => undefined })).data;
}

/**
 * P3 at the width trained: GD on H(W(0)) is stable iff eta (1 + lambda) mu_max(H(W(0))) < 2.
 * `divergedInit` is 1 when the linear dynamics on H(W(0)) diverge.
 */
export function stabilityOnInitialKernel(h0: Float64Array, eta: number, lambda: number, muMax?: number | null): RunNumbers {
  const mu = typeof muMax === 'number' ? muMax : eigvalsh(h0)[0];
  return { muMaxInit: r12(mu), stabilityBoundInit: r12(2 / ((1 + lambda) * mu)), divergedInit: eta * (1 + lambda) * mu >= 2 ? 1 : 0 };
}
