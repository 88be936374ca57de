import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { describe, expect, it } from 'vitest';
import { hintonKl } from './hinton-kl.js';
import { logSoftmaxF64, randomMatrix, scalar } from './test-helpers.js';

// Activated before the module-level tensors below are made.
await createCpuBackend().activate();

/** T^2 sum_i KL(softmax(z_i/T) || softmax(u_i/T)) in float64. */
function klF64(u: Float32Array, z: Float32Array, k: number, T: number): number {
  let total = 0;
  for (let i = 0; i < u.length / k; i++) {
    const lp = logSoftmaxF64(Array.from(z.subarray(i * k, (i + 1) * k), (v) => v / T));
    const lq = logSoftmaxF64(Array.from(u.subarray(i * k, (i + 1) * k), (v) => v / T));
    total += lp.reduce((s, l, c) => s + Math.exp(l) * (l - lq[c]), 0);
  }
  return T * T * total;
}

describe('hinton-kl', () => {
  const u = randomMatrix(1, 6, 4, 2);
  const z = randomMatrix(2, 6, 4, 2);
  it('equals w T^2 sum_i KL(p_i || q_i) at several temperatures', () => {
    for (const T of [0.5, 1, 4, 20]) {
      const got = scalar(hintonKl({ temperature: T, weight: 0.5 }).compute({ studentLogits: u.t, teacherLogits: z.t }));
      expect(got).toBeCloseTo(0.5 * klF64(u.v, z.v, 4, T), 4);
    }
  });
  it('has gradient w T (q - p), q = softmax(u/T), p = softmax(z/T)', () => {
    const T = 3;
    const reg = hintonKl({ temperature: T, weight: 2 });
    const g = tf.grad((x: tf.Tensor) => reg.compute({ studentLogits: x as tf.Tensor2D, teacherLogits: z.t }))(u.t).dataSync();
    for (let i = 0; i < 6; i++) {
      const p = logSoftmaxF64(Array.from(z.v.subarray(4 * i, 4 * i + 4), (v) => v / T)).map(Math.exp);
      const q = logSoftmaxF64(Array.from(u.v.subarray(4 * i, 4 * i + 4), (v) => v / T)).map(Math.exp);
      q.forEach((qk, k) => expect(g[4 * i + k]).toBeCloseTo(2 * T * (qk - p[k]), 5));
    }
  });
  it('is zero when the student copies the teacher, and uses Bernoulli KL for one output', () => {
    expect(scalar(hintonKl().compute({ studentLogits: z.t, teacherLogits: z.t }))).toBeCloseTo(0, 6);
    const T = 2;
    const sig = (v: number) => 1 / (1 + Math.exp(-v / T));
    const [p, q] = [sig(1.5), sig(-0.5)];
    const want = T * T * (p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q)));
    expect(scalar(hintonKl({ temperature: T }).compute({ studentLogits: tf.tensor2d([[-0.5]]), teacherLogits: tf.tensor2d([[1.5]]) }))).toBeCloseTo(want, 5);
  });
  it('names bad options', () => {
    expect(() => hintonKl({ temperature: 0 })).toThrow('Invalid option "hinton-kl.temperature": got 0. Expected a finite number > 0.');
  });
});
