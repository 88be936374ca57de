import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { evaluateSplitAsync } from './evaluate.js';

beforeAll(async () => { await createCpuBackend().activate(); });

describe('evaluateSplitAsync', () => {
  it('u = x W + b, the terms the split can feed, ||u - y||, ||u - z||', async () => {
    const model = linearModel({ vjp: true });
    const params = { W: tf.tensor2d([[1], [2]]), b: tf.tensor2d([[0.5]]) };
    const x = tf.tensor2d([[1, 0], [0, 1], [1, 1]]);
    const targets = tf.tensor2d([[1], [-1], [1]]);
    const teacherLogits = tf.tensor2d([[2], [2], [2]]);
    const terms = [{ name: 'label', regularizer: squaredLabel() }, { name: 'pi', regularizer: quadraticPi({ lambda: 2 }) }];
    // u = [1.5, 2.5, 3.5]
    const full = await evaluateSplitAsync(model, params, { x, targets, teacherLogits }, terms, { step: 0, epoch: 0 });
    expect(Array.from(full.outputs)).toEqual([1.5, 2.5, 3.5]);
    expect(full.metrics.label).toBeCloseTo((0.25 + 12.25 + 6.25) / 2, 5);
    expect(full.metrics.pi).toBeCloseTo(0.25 + 0.25 + 2.25, 5);
    expect(full.metrics.loss).toBeCloseTo(9.375 + 2.75, 5);
    expect(full.metrics.labelError).toBeCloseTo(Math.sqrt(18.75), 6);
    expect(full.metrics.teacherError).toBeCloseTo(Math.sqrt(2.75), 6);
    expect(full.metrics.accuracy).toBeCloseTo(2 / 3, 6);
    expect(full.complete).toBe(true);
    const partial = await evaluateSplitAsync(model, params, { x, targets }, terms, { step: 0, epoch: 0 });
    expect(Object.keys(partial.metrics).sort()).toEqual(['accuracy', 'label', 'labelError']);
    expect(partial.complete).toBe(false);
    tf.dispose([params.W, params.b, x, targets, teacherLogits]);
  });
});
