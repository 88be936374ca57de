// Shared by this package's tests only (not exported from index.ts).
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pikt/core';

/** A [rows, cols] float32 tensor of N(0, scale^2) draws and the same values as a plain array. */
export function randomMatrix(seed: number | string, rows: number, cols: number, scale = 1): { t: tf.Tensor2D; v: Float32Array } {
  const v = createRng(seed).fillNormal(new Float32Array(rows * cols), 0, scale);
  return { t: tf.tensor2d(v, [rows, cols]), v };
}

/** One-hot rows for integer classes. */
export function oneHotRows(classes: number[], k: number): { t: tf.Tensor2D; v: Float32Array } {
  const v = new Float32Array(classes.length * k);
  classes.forEach((c, i) => { v[i * k + c] = 1; });
  return { t: tf.tensor2d(v, [classes.length, k]), v };
}

/** Row-wise log-softmax in float64. */
export function logSoftmaxF64(row: ArrayLike<number>): number[] {
  const r = Array.from(row);
  const mx = Math.max(...r);
  const lse = mx + Math.log(r.reduce((s, x) => s + Math.exp(x - mx), 0));
  return r.map((x) => x - lse);
}

export const scalar = (t: tf.Tensor): number => t.dataSync()[0];
