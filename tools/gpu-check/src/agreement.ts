// Computations run on two backends and compared: the student's GD step, a 50-step distillation.
// Shared by the vitest agreement suites (tools/vitest/cpu-agreement.ts) and tools/gpu-check; no
// test framework here, so the gpu-check bundle can carry it.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, datasetFromArrays } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import { labelFit, quadraticPi } from '@pikt/regularizers';
import { train } from '@pikt/trainer';

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

/** A full-batch GD distillation (50 steps by default): label fit + quadratic PI toward teacher logits z. */
export async function distill50(n: number, d: number, m: number, steps = 50): Promise<{ finalLoss: number; outputs: Float32Array; losses: number[] }> {
  const x = unitRows(n, d, 6);
  const labels = createRng(7).fillNormal(new Float32Array(n));
  const teacherLogits = Float32Array.from(labels, (v, i) => 0.8 * v + 0.1 * Math.sin(i));
  const model = createWideStudent({ width: m });
  const r = await train({
    model,
    terms: [{ name: 'label', regularizer: labelFit() }, { name: 'pi', regularizer: quadraticPi({ lambda: 1 }) }],
    data: datasetFromArrays({ inputDim: d, outputDim: 1, train: { x, targets: labels, teacherLogits } }),
    settings: { seed: 11, optimizer: { kind: 'gd', lr: 0.2 }, steps, trackWeightDistance: false },
  });
  const u = tf.tidy(() => model.apply(r.params, tf.tensor2d(x, [n, d])).logits);
  const outputs = Float32Array.from(await u.data());
  u.dispose();
  model.dispose(r.params);
  return { finalLoss: r.finalLoss, outputs, losses: r.history.map((h) => h.loss) };
}
