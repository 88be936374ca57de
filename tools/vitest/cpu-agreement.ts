// The checks every GPU backend runs against the cpu reference (node-gpu in Node, webgl in Chromium):
// the student's GD step, the structured NTK Gram and a 50-step distillation. Each computes the same
// thing on both backends from the same float32 inputs and compares; the tolerances and their
// reasons are written beside each check, and the measured differences are printed for the record.
import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng, type Rng } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import { structuredNtkAsync } from '@pikt/ntk';
import { hintonKl, labelFit, quadraticPi } from '@pikt/regularizers';
import { describeModelConformance, describeRegularizerConformance, expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { distill50, gdStep, relativeError, unitRows } from '../gpu-check/src/agreement.js';

export { relativeError } from '../gpu-check/src/agreement.js';

const log = (backend: string, what: string, v: number) => console.log(`cpu agreement (${backend}): ${what} = ${v.toExponential(2)}`);

async function onBoth<T>(activate: () => Promise<unknown>, work: () => Promise<T>): Promise<{ gpu: T; cpu: T }> {
  await createCpuBackend().activate();
  const cpu = await work();
  await activate();
  const gpu = await expectNoTensorLeak(work, 'backend run');
  return { gpu, cpu };
}

/**
 * Registers the three agreement checks for the backend that `activate` makes current. Sizes are
 * small: these run on a software renderer on 2 CI cores.
 */
export function describeCpuAgreement(backend: string, activate: () => Promise<unknown>): void {
  describe(`${backend} agrees with cpu`, () => {
    it('one GD step of the student (n=32, d=16, m=512): dL/dW within 1e-4 relative', async () => {
      const { gpu, cpu } = await onBoth(activate, () => gdStep(32, 16, 512));
      // Float32 sums of 32 (over samples) and 16 (over inputs) terms, summed in another order on
      // the GPU: each entry moves by ~sqrt(32) * 6e-8 relative; a pre-activation within 1e-7 of 0
      // could flip a ReLU mask, which random unit inputs make vanishingly rare at this size.
      const e = relativeError(gpu.grad, cpu.grad);
      log(backend, 'GD step dL/dW relative error', e);
      expect(e).toBeLessThan(1e-4);
      expect(relativeError(gpu.logits, cpu.logits)).toBeLessThan(1e-4);
    });

    it('structured NTK Gram (n=24, d=8, m=1024): within 1e-5 relative', async () => {
      const n = 24, d = 8, m = 1024;
      const x = unitRows(n, d, 8);
      const w = createRng(9).fillNormal(new Float32Array(m * d));
      const { gpu, cpu } = await onBoth(activate, () => structuredNtkAsync(x, null, w, { inputDim: d, neuronBlock: 256, onWarning: () => {} }));
      // The co-activation counts are integers, exact in float32; only a pre-activation so close to
      // 0 that its sign differs between backends changes a count (by 1, i.e. |x_i . x_j| / m).
      // X X^T is float64 on the host in both runs. So the Grams agree to float32 roundoff or better.
      const e = relativeError(gpu.data, cpu.data);
      log(backend, 'structured NTK Gram relative error', e);
      expect(e).toBeLessThan(1e-5);
    });

    it('50-step distillation (n=24, d=8, m=256, GD lr 0.2): final loss and outputs within 1e-4 relative', async () => {
      const { gpu, cpu } = await onBoth(activate, () => distill50(24, 8, 256));
      // Each step's float32 differences (~1e-6 relative, as for the GD step) are carried along but
      // not amplified: lr 0.2 is inside the stability bound, so GD contracts toward the minimiser
      // and 50 steps accumulate at most ~50 x 1e-6.
      const eLoss = Math.abs(gpu.finalLoss - cpu.finalLoss) / Math.abs(cpu.finalLoss);
      const eOut = relativeError(gpu.outputs, cpu.outputs);
      log(backend, 'distillation final loss relative difference', eLoss);
      log(backend, 'distillation outputs relative error', eOut);
      expect(cpu.losses[49]).toBeLessThan(cpu.losses[0]); // it trained
      expect(eLoss).toBeLessThan(1e-4);
      expect(eOut).toBeLessThan(1e-4);
    });
  });
}

/**
 * What every GPU backend runs beyond its own backend conformance suite: the model conformance
 * suite (wide student), the regularizer suite (quadratic PI, cross-entropy label fit, Hinton KL)
 * with the backend active, then the agreement checks against cpu.
 */
export function describeGpuBackendSuites(backend: string, tfBackendName: string, activate: () => Promise<unknown>): void {
  describe(`${backend}: model and regularizer conformance`, () => {
    const normal = (rng: Rng, rows: number, cols: number) => tf.tensor2d(rng.fillNormal(new Float32Array(rows * cols)), [rows, cols]);
    // The suites run on the current backend: make it this one first.
    it(`activates ${backend}`, async () => {
      await activate();
      expect(tf.getBackend()).toBe(tfBackendName);
    });
    describeModelConformance({ model: createWideStudent({ width: 32, blockSize: 6, features: 'hidden' }), io: { inputDim: 5, outputDim: 2 } });
    describeRegularizerConformance({ factory: quadraticPi, options: { lambda: 2 }, makeInput: (rng) => ({ studentLogits: normal(rng, 6, 3), teacherLogits: normal(rng, 6, 3) }) });
    describeRegularizerConformance({ factory: labelFit, options: { loss: 'cross-entropy' }, makeInput: (rng) => ({ studentLogits: normal(rng, 6, 4), targets: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 0], 'int32'), 4), 'float32')) as tf.Tensor2D }) });
    describeRegularizerConformance({ factory: hintonKl, options: { temperature: 3 }, makeInput: (rng) => ({ studentLogits: normal(rng, 6, 5), teacherLogits: normal(rng, 6, 5) }) });
  });
  describeCpuAgreement(backend, activate);
}
