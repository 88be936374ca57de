// Tiny models and loss terms for the trainer's tests, with closed-form gradient-descent trajectories.
import * as tf from '@tensorflow/tfjs-core';
import { datasetFromArrays, defineRegularizer, type ModelV1 } from '@pikt/core';

export type LinearParams = { W: tf.Tensor2D; b: tf.Tensor2D };

/**
 * f(x; W, b) = x W + b with W [d, K] ~ N(0, scale^2) and b = bias (default 0). With `vjp` the model
 * carries the hand-written backprop dW = x^T dL/du, db = sum_rows dL/du.
 */
export function linearModel(opts: { vjp?: boolean; trainable?: string[]; scale?: number; bias?: number } = {}): ModelV1<LinearParams> {
  const scale = opts.scale ?? 0.5;
  const model: ModelV1<LinearParams> = {
    specificationVersion: 'v1',
    id: opts.vjp ? 'linear-vjp' : 'linear',
    options: { scale, bias: opts.bias ?? 0 },
    ...(opts.trainable ? { trainable: opts.trainable } : {}),
    init(rng, io) {
      const w = rng.fillNormal(new Float32Array(io.inputDim * io.outputDim), 0, scale);
      return { W: tf.tensor2d(w, [io.inputDim, io.outputDim]), b: tf.fill([1, io.outputDim], opts.bias ?? 0) as tf.Tensor2D };
    },
    apply(params, x) {
      return { logits: tf.tidy(() => tf.add(tf.matMul(x, params.W), params.b)) };
    },
    dispose(params) {
      tf.dispose([params.W, params.b]);
    },
  };
  if (opts.vjp) {
    model.vjp = (params, x, d) => tf.tidy(() => ({ W: tf.matMul(tf.transpose(x), d), b: tf.sum(d, 0, true) })) as unknown as LinearParams;
  }
  return model;
}

/** 1/2 * weight * ||u - y||^2: the label fit of SCIENCE.md section 2. */
export const squaredLabel = defineRegularizer({
  id: 'test-squared-label',
  needs: ['targets'],
  defaults: { weight: 1 },
  compute: ({ studentLogits, targets }, o) => tf.tidy(() => tf.mul(o.weight / 2, tf.sum(tf.square(tf.sub(studentLogits, targets))))),
});

/** lambda/2 * ||u - z||^2: the quadratic PI term of SCIENCE.md section 2. */
export const quadraticPi = defineRegularizer({
  id: 'test-quadratic-pi',
  needs: ['teacherLogits'],
  defaults: { lambda: 1 },
  compute: ({ studentLogits, teacherLogits }, o) => tf.tidy(() => tf.mul(o.lambda / 2, tf.sum(tf.square(tf.sub(studentLogits, teacherLogits))))),
});

/** 4x4 Hadamard / 2: an orthogonal matrix, so X = s * H4 has X X^T = s^2 I. */
export const H4 = [
  [1, 1, 1, 1],
  [1, -1, 1, -1],
  [1, 1, -1, -1],
  [1, -1, -1, 1],
].map((r) => r.map((v) => v / 2));

/**
 * The closed-form problem: n = d = 4, X = s * H4, K = 2 outputs, targets y and teacher outputs z.
 * For u = X W, GD on 1/2 ||u - y||^2 + lambda/2 ||u - z||^2 gives
 *   u(k) - ybar = r^k (u(0) - ybar),  r = 1 - eta (1 + lambda) s^2,  ybar = (y + lambda z) / (1 + lambda),
 * and ||W(k) - W(0)||_F = ||u(k) - u(0)||_F / s (X / s is orthogonal).
 */
export function orthogonalProblem(s = 1.5) {
  const n = 4;
  const d = 4;
  const K = 2;
  const x = new Float32Array(H4.flat().map((v) => v * s));
  const targets = new Float32Array([1, -1, -1, 1, 1, 1, -1, -1]);
  const teacherLogits = new Float32Array([0.5, -0.25, -1.5, 0.75, 0.25, 1.25, -0.5, -1]);
  const arrays = { x, targets, teacherLogits };
  const data = datasetFromArrays({ id: 'orthogonal', inputDim: d, outputDim: K, train: arrays });
  /** The same split as `readDataset(data)` gives it, for the synchronous prepareRun. */
  const loaded = { inputDim: d, outputDim: K, train: { n, ...arrays } };
  return { n, d, K, s, arrays, data, loaded };
}

/** Row-major [n, K] product x W in float64. */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, n: number, d: number, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += a[i * d + t] * b[t * k + j];
    out[i * k + j] = s;
  }
  return out;
}
