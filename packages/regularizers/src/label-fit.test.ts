import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { describe, expect, it } from 'vitest';
import { labelFit } from './label-fit.js';
import { logSoftmaxF64, oneHotRows, randomMatrix, scalar } from './test-helpers.js';

// Activated before the module-level tensors below are made.
await createCpuBackend().activate();

describe('label-fit', () => {
  const u = randomMatrix(1, 4, 3);
  it('squared: w/2 ||u - y||^2', () => {
    const y = randomMatrix(2, 4, 3);
    const want = 0.5 * 2 * u.v.reduce((s, v, i) => s + (v - y.v[i]) ** 2, 0);
    expect(scalar(labelFit({ weight: 2 }).compute({ studentLogits: u.t, targets: y.t }))).toBeCloseTo(want, 4);
  });
  it('cross-entropy: -sum_i log softmax(u_i)[class_i], gradient softmax(u) - y', () => {
    const classes = [0, 2, 1, 2];
    const y = oneHotRows(classes, 3);
    const want = -classes.reduce((s, c, i) => s + logSoftmaxF64(u.v.subarray(3 * i, 3 * i + 3))[c], 0);
    const reg = labelFit({ loss: 'cross-entropy' });
    expect(scalar(reg.compute({ studentLogits: u.t, targets: y.t }))).toBeCloseTo(want, 5);
    expect(scalar(labelFit({ loss: 'cross-entropy', reduction: 'mean' }).compute({ studentLogits: u.t, targets: y.t }))).toBeCloseTo(want / 4, 5);
    const grad = tf.grad((x: tf.Tensor) => reg.compute({ studentLogits: x as tf.Tensor2D, targets: y.t }))(u.t).dataSync();
    for (let i = 0; i < 4; i++) {
      const p = logSoftmaxF64(u.v.subarray(3 * i, 3 * i + 3)).map(Math.exp);
      p.forEach((pk, k) => expect(grad[3 * i + k]).toBeCloseTo(pk - y.v[3 * i + k], 5));
    }
  });
  it('cross-entropy with one output: logistic loss log(1 + exp(-y u)) for y in {-1, +1}', () => {
    const u1 = tf.tensor2d([[2], [-0.5], [0]]);
    const y1 = tf.tensor2d([[1], [1], [-1]]);
    const want = Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(0.5)) + Math.log(2);
    expect(scalar(labelFit({ loss: 'cross-entropy' }).compute({ studentLogits: u1, targets: y1 }))).toBeCloseTo(want, 5);
  });
  it('names bad options', () => {
    expect(() => labelFit({ loss: 'hinge' as never })).toThrow('Invalid option "label-fit.loss": got "hinge". Expected one of "squared", "cross-entropy".');
    expect(() => labelFit({ weight: -1 })).toThrow('Invalid option "label-fit.weight": got -1. Expected a finite number >= 0.');
  });
});
