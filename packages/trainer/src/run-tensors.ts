import * as tf from '@tensorflow/tfjs-core';
import { PiktError, type ParamTensors } from '@pikt/core';
import type { ArrayTensor } from './checkpoint.js';
import type { CheckedSplit } from './data.js';
import type { BatchTensors } from './loss-gradients.js';

/** Upload a checked split to the backend as [n, dim] tensors (the caller disposes them). */
export function splitTensors(s: CheckedSplit): BatchTensors {
  const out: BatchTensors = { x: tf.tensor2d(s.x, [s.n, s.inputDim]) };
  if (s.targets) out.targets = tf.tensor2d(s.targets, [s.n, s.outputDim]);
  if (s.teacherLogits) out.teacherLogits = tf.tensor2d(s.teacherLogits, [s.n, s.outputDim]);
  if (s.teacherFeatures) out.teacherFeatures = tf.tensor2d(s.teacherFeatures, [s.n, s.teacherFeatureDim as number]);
  return out;
}

/** The rows `rows` of every tensor of a split (a mini-batch). */
export function gatherRows(full: BatchTensors, rows: Int32Array): BatchTensors {
  return tf.tidy(() => {
    const idx = tf.tensor1d(rows, 'int32');
    const out: BatchTensors = { x: tf.gather(full.x, idx) };
    if (full.targets) out.targets = tf.gather(full.targets, idx);
    if (full.teacherLogits) out.teacherLogits = tf.gather(full.teacherLogits, idx);
    if (full.teacherFeatures) out.teacherFeatures = tf.gather(full.teacherFeatures, idx);
    return out as unknown as tf.TensorContainer;
  }) as unknown as BatchTensors;
}

export function disposeBatch(b: BatchTensors): void {
  tf.dispose([b.x, b.targets, b.teacherLogits, b.teacherFeatures].filter((t): t is tf.Tensor2D => t !== undefined));
}

/**
 * Per-parameter sums ||p - p(0)||_F^2 over the trainable parameters, [names.length] on the backend
 * (caller disposes); `rootOfSum` of their values is ||W - W(0)||_F = sqrt(sum_p ||p - p(0)||_F^2),
 * the "capacity" of SCIENCE.md P5. The sums are float32 on the backend; their total is float64.
 */
export const squaredDistances = (params: ParamTensors, initial: ParamTensors, names: readonly string[]): tf.Tensor =>
  tf.tidy(() => (names.length === 0 ? tf.zeros([0]) : tf.stack(names.map((n) => tf.sum(tf.square(tf.sub(params[n], initial[n])))))));

export function rootOfSum(sums: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < sums.length; i++) s += sums[i];
  return Math.sqrt(s);
}

/** Copy a tensor out to plain data for a checkpoint, with `await data()` (GPU backends have no fast synchronous read). */
export async function toArrayTensorAsync(name: string, t: tf.Tensor): Promise<ArrayTensor> {
  checkDtype(name, t);
  const data = (await t.data()).slice() as Float32Array | Int32Array;
  return { shape: [...t.shape], dtype: t.dtype as 'float32' | 'int32', data };
}

function checkDtype(name: string, t: tf.Tensor): void {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    throw new PiktError('PIKT_UNSUPPORTED_DTYPE', `Parameter "${name}" has dtype ${t.dtype}; checkpoints hold float32 and int32 tensors.`,
      'Store the parameter as float32 (or int32) in the model.');
  }
}

export function fromArrayTensor(a: ArrayTensor): tf.Tensor {
  return tf.tensor(a.data, a.shape, a.dtype);
}

/** Index of the first non-finite value of a float32 checkpoint tensor, or -1. */
export function firstNonFinite(a: ArrayTensor): number {
  if (a.dtype !== 'float32') return -1;
  for (let i = 0; i < a.data.length; i++) if (!Number.isFinite(a.data[i])) return i;
  return -1;
}
