import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeRows } from './take-rows.js';

beforeAll(async () => { await createCpuBackend().activate(); });

describe('takeRows', () => {
  it('returns rows [start, start + size) and pads the gradient with zeros', () => {
    const t = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    expect(takeRows(t, 1, 2).arraySync()).toEqual([[3, 4], [5, 6]]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(takeRows(x as tf.Tensor2D, 1, 2), tf.tensor2d([[1, 2], [3, 4]]))))(t);
    expect(g.arraySync()).toEqual([[0, 0], [1, 2], [3, 4], [0, 0]]);
  });

  it('gathers (same rows, same gradient) when the tensor holds more than 16 blocks of rows', () => {
    const rows = 40;
    const t = tf.tensor2d(Float32Array.from({ length: rows * 2 }, (_, i) => i), [rows, 2]);
    expect(takeRows(t, 37, 2).arraySync()).toEqual([[74, 75], [76, 77]]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(takeRows(x as tf.Tensor2D, 37, 2), tf.tensor2d([[1, 2], [3, 4]]))))(t);
    const want = Array.from({ length: rows }, (_, r) => (r === 37 ? [1, 2] : r === 38 ? [3, 4] : [0, 0]));
    expect(g.arraySync()).toEqual(want);
  });
});
