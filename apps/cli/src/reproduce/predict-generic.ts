import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import type { NamedTerm } from '@pikt/trainer';
import { isHostBackend, predictGeneric, regularizerLoss, sumLosses } from '@pikt/ntk';

/**
 * Runs `f` (synchronous tfjs work on small tensors it creates itself) on tfjs's cpu backend when the
 * active one keeps tensors off the host (webgpu: `dataSync` throws in Node; webgl: it stalls), then
 * switches back. The recursion below reads grad_u L once per step: on the GPU that is one readback
 * per step for an n-vector, slower than the cpu and, on webgpu in Node, impossible. No tensor made
 * before crosses the switch.
 */
async function onSyncReadBackend<T>(f: () => T): Promise<T> {
  const active = tf.getBackend();
  if (isHostBackend(active)) return f();
  await createCpuBackend().activate();
  try {
    return f();
  } finally {
    await tf.setBackend(active);
  }
}

/**
 * The kernel-regime prediction of SCIENCE.md section 4 for a student trained on output-space terms
 * without a closed form (E6: label fit + Hinton's temperature KL): full-batch GD on
 * L(u) = sum_t L_t(u) moves the outputs as
 *
 *     u(k+1) = u(k) - eta H grad_u L(u(k)),     f_{k+1}(X*) = f_k(X*) - eta H(X*, X) grad_u L(u(k)),
 *
 * from u(0) = 0 and f_0 = 0 (symmetric init), integrated in float64 by @pikt/ntk's `predictGeneric`.
 * grad_u L comes from the very term objects that trained the student (`regularizerLoss`: tfjs
 * autodiff, float32, ~1e-7 relative), so the prediction follows whatever the terms compute. One
 * output (K = 1). Returns u(k) and f_k(X*) for k = 0..steps. On GPU backends the terms are evaluated
 * on tfjs's cpu backend (`onSyncReadBackend`).
 */
export function predictWithTerms(input: {
  H: Float64Array; n: number; hTest: Float64Array; eta: number; steps: number;
  terms: readonly NamedTerm[]; targets: Float64Array; teacherLogits?: Float64Array;
}): Promise<{ trajectory: Float64Array[]; test: Float64Array[] }> {
  return onSyncReadBackend(() => integrate(input));
}

function integrate(input: Parameters<typeof predictWithTerms>[0]): { trajectory: Float64Array[]; test: Float64Array[] } {
  const { n, terms } = input;
  const loss = sumLosses(...terms.map((t) => regularizerLoss(t.regularizer, { n, outputs: 1, targets: input.targets, teacherLogits: input.teacherLogits })));
  const steps = Array.from({ length: input.steps + 1 }, (_, k) => k);
  const out = predictGeneric({ gram: input.H, loss, eta: input.eta, test: { gram: input.hTest } }, steps);
  return { trajectory: out.u, test: out.test as Float64Array[] };
}
