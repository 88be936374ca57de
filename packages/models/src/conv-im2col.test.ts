import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dSame } from './conv-im2col.js';

beforeAll(async () => { await createCpuBackend().activate(); });

describe('conv2dSame (im2col)', () => {
  for (const k of [1, 3, 5]) {
    it(`equals tf.conv2d with 'same' padding plus bias (k = ${k})`, () => {
      const rng = createRng(k);
      const x = tf.tensor4d(rng.fillNormal(new Float32Array(2 * 6 * 5 * 3)), [2, 6, 5, 3]);
      const kernel = tf.tensor4d(rng.fillNormal(new Float32Array(k * k * 3 * 4)), [k, k, 3, 4]);
      const bias = tf.tensor1d([0.5, -1, 2, 0]);
      const got = conv2dSame(x, kernel, bias);
      const want = tf.add(tf.conv2d(x, kernel, 1, 'same'), bias);
      expect(got.shape).toEqual([2, 6, 5, 4]);
      const g = got.dataSync();
      const w = want.dataSync();
      for (let i = 0; i < w.length; i++) expect(Math.abs(g[i] - w[i])).toBeLessThan(1e-5 * (1 + Math.abs(w[i])));
    });
  }
  it('is a hand-checkable sum on a 3x3 image', () => {
    // All-ones 3x3 kernel on a 3x3 image of ones: each output counts its in-image neighbours.
    const y = conv2dSame(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, tf.zeros([1]) as tf.Tensor1D);
    expect(Array.from(y.dataSync())).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
  });
});
