// The checks every GPU backend runs against the cpu reference (node-gpu in Node, webgl in Chromium):
// the student's GD step, the structured NTK Gram and a 50-step distillation. Each computes the same
// thing on both backends from the same float32 inputs and compares; the tolerances and their
// reasons are written beside each check, and the measured differences are printed for the record.
import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import { structuredNtkAsync } from '@pikt/ntk';
import { labelFit, quadraticPi } from '@pikt/regularizers';
import { expectNoTensorLeak } from '@pikt/testkit';
import { train } from '@pikt/trainer';
import { describe, expect, it } from 'vitest';

/** ||a - b||_F / ||b||_F in float64. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) { num += (a[i] - b[i]) ** 2; den += b[i] ** 2; }
  return Math.sqrt(num / (den || 1));
}

/** n unit-norm rows of dimension d (the kernel-regime inputs of SCIENCE.md), float32. */
export function unitRows(n: number, d: number, seed: number): Float32Array {
  const x = createRng(seed).fillNormal(new Float32Array(n * d));
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    for (let j = 0; j < d; j++) x[i * d + j] /= Math.sqrt(s);
  }
  return x;
}

const log = (backend: string, what: string, v: number) => console.log(`cpu agreement (${backend}): ${what} = ${v.toExponential(2)}`);

/** One GD step of the width-m student, W(1) = W(0) - eta * dL/dW with L = 1/2 ||f(X; W) - y||^2: returns dL/dW and f. */
export async function gdStep(n: number, d: number, m: number): Promise<{ grad: Float32Array; logits: Float32Array }> {
  const model = createWideStudent({ width: m, symmetric: false });
  const params = model.init(createRng(3), { inputDim: d, outputDim: 1 });
  const x = tf.tensor2d(unitRows(n, d, 4), [n, d]);
  const y = tf.tensor2d(createRng(5).fillNormal(new Float32Array(n)), [n, 1]);
  const [logits, grad] = tf.tidy(() => {
    const u = model.apply(params, x).logits;
    return [u, model.vjp(params, x, tf.sub(u, y) as tf.Tensor2D).W!];
  });
  const out = { grad: Float32Array.from(await grad.data()), logits: Float32Array.from(await logits.data()) };
  tf.dispose([x, y, logits, grad]);
  model.dispose(params);
  return out;
}

/** A 50-step full-batch GD distillation: label fit + quadratic PI toward teacher logits z. */
export async function distill50(n: number, d: number, m: number): Promise<{ finalLoss: number; outputs: Float32Array; losses: number[] }> {
  const x = unitRows(n, d, 6);
  const labels = createRng(7).fillNormal(new Float32Array(n));
  const teacherLogits = Float32Array.from(labels, (v, i) => 0.8 * v + 0.1 * Math.sin(i));
  const model = createWideStudent({ width: m });
  const r = await train({
    model,
    terms: [{ name: 'label', regularizer: labelFit() }, { name: 'pi', regularizer: quadraticPi({ lambda: 1 }) }],
    data: { train: { n, inputDim: d, outputDim: 1, x, labels, teacherLogits } },
    settings: { seed: 11, optimizer: { kind: 'gd', lr: 0.2 }, steps: 50 },
  });
  const u = tf.tidy(() => model.apply(r.params, tf.tensor2d(x, [n, d])).logits);
  const outputs = Float32Array.from(await u.data());
  u.dispose();
  model.dispose(r.params);
  return { finalLoss: r.finalLoss, outputs, losses: r.history.map((h) => h.loss) };
}

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

    it('50-step distillation (n=24, d=8, m=512, GD lr 0.2): final loss and outputs within 1e-4 relative', async () => {
      const { gpu, cpu } = await onBoth(activate, () => distill50(24, 8, 512));
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
