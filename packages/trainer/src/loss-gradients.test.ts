import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { defineRegularizer } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { gradientMode, lossAndGradientsAsync as lossAndGradients, lossGradientTensors } from './loss-gradients.js';

beforeAll(async () => { await createCpuBackend().activate(); });

const x = () => tf.tensor2d([[1, 2], [3, -1], [0, 1]]);
const batch = () => ({ x: x(), targets: tf.tensor2d([[1], [-1], [1]]), teacherLogits: tf.tensor2d([[0.5], [0], [2]]) });
const terms = [{ name: 'label', regularizer: squaredLabel() }, { name: 'pi', regularizer: quadraticPi({ lambda: 3 }) }];

describe('lossAndGradients', () => {
  it('vjp and autodiff both give dL/dW = X^T ((u - y) + lambda (u - z)) and the term values', async () => {
    const xs = [[1, 2], [3, -1], [0, 1]];
    const W = [0.5, -1];
    const u = xs.map((r) => r[0] * W[0] + r[1] * W[1]);
    const y = [1, -1, 1];
    const z = [0.5, 0, 2];
    const r = u.map((ui, i) => ui - y[i] + 3 * (ui - z[i]));
    const want = [0, 1].map((j) => xs.reduce((s, row, i) => s + row[j] * r[i], 0));
    for (const vjp of [true, false]) {
      await expectNoTensorLeak(async () => {
        const model = linearModel({ vjp, trainable: ['W'] });
        const b = batch();
        const params = { W: tf.tensor2d([[0.5], [-1]]), b: tf.tensor2d([[0]]) };
        expect(gradientMode(model, terms)).toBe(vjp ? 'vjp' : 'autodiff');
        const out = await lossAndGradients(model, params, ['W'], terms, b, { step: 0, epoch: 0 }, gradientMode(model, terms));
        expect(Object.keys(out.grads)).toEqual(['W']);
        Array.from(out.grads.W.dataSync()).forEach((g, j) => expect(g).toBeCloseTo(want[j], 4));
        expect(out.terms.label).toBeCloseTo(u.reduce((s, ui, i) => s + (ui - y[i]) ** 2, 0) / 2, 5);
        expect(out.terms.pi).toBeCloseTo(3 * u.reduce((s, ui, i) => s + (ui - z[i]) ** 2, 0) / 2, 5);
        expect(out.loss).toBeCloseTo(out.terms.label + out.terms.pi, 5);
        tf.dispose([...Object.values(out.grads), ...Object.values(params), b.x, b.targets, b.teacherLogits]);
      }, `lossAndGradients (${vjp ? 'vjp' : 'autodiff'})`);
    }
  });

  it("uses a model's applyWithVjp (forward and backward in one pass) when it has one", async () => {
    const base = linearModel({ vjp: true, trainable: ['W'] });
    let fused = 0;
    const model = {
      ...base,
      applyWithVjp(p: { W: tf.Tensor2D; b: tf.Tensor2D }, xx: tf.Tensor2D, backward: (u: tf.Tensor2D) => tf.Tensor2D) {
        fused += 1;
        const logits = base.apply(p, xx).logits;
        return { logits, grads: base.vjp!(p, xx, backward(logits)) };
      },
    };
    const b = batch();
    const params = { W: tf.tensor2d([[0.5], [-1]]), b: tf.tensor2d([[0]]) };
    const viaFused = await lossAndGradients(model, params, ['W'], terms, b, { step: 0, epoch: 0 }, 'vjp');
    const plain = await lossAndGradients(base, params, ['W'], terms, b, { step: 0, epoch: 0 }, 'vjp');
    expect(fused).toBe(1);
    expect(Array.from(viaFused.grads.W.dataSync())).toEqual(Array.from(plain.grads.W.dataSync()));
    expect(viaFused.terms).toEqual(plain.terms);
    tf.dispose([viaFused.grads.W, plain.grads.W, ...Object.values(params), b.x, b.targets, b.teacherLogits]);
  });

  it('uses autodiff when a term needs student features', () => {
    const fm = defineRegularizer({ id: 'fm', needs: ['studentFeatures'], defaults: {}, compute: ({ studentFeatures }) => tf.sum(studentFeatures) });
    expect(gradientMode(linearModel({ vjp: true }), [{ name: 'fm', regularizer: fm() }])).toBe('autodiff');
  });

  it('names a term whose value is not a scalar, and a vjp that skips a trainable parameter', async () => {
    const vector = defineRegularizer({ id: 'vec', needs: [], defaults: {}, compute: ({ studentLogits }) => tf.sum(studentLogits, 0) as unknown as tf.Scalar });
    const model = linearModel({ vjp: true, trainable: ['W'] });
    const b = batch();
    const params = { W: tf.tensor2d([[0.5], [-1]]), b: tf.tensor2d([[0]]) };
    await expect(lossAndGradients(model, params, ['W'], [{ name: 'v', regularizer: vector() }], b, { step: 0, epoch: 0 }, 'vjp'))
      .rejects.toThrow('Shape mismatch in the value of loss term "v" (vec): expected [], found [1].');
    const partial = { ...model, vjp: (p: typeof params, xx: tf.Tensor2D, d: tf.Tensor2D) => ({ b: tf.sum(d, 0, true) }) };
    await expect(lossAndGradients(partial as never, params, ['W'], terms, b, { step: 0, epoch: 0 }, 'vjp'))
      .rejects.toThrow('Model "linear-vjp" vjp returned no gradient for trainable parameter "W".');
    tf.dispose([...Object.values(params), b.x, b.targets, b.teacherLogits]);
  });

  it('keepLogits returns u = f(X; W) of the same forward pass (vjp and autodiff), and a failing term leaks none', async () => {
    for (const vjp of [true, false]) {
      await expectNoTensorLeak(() => {
        const model = linearModel({ vjp, trainable: ['W'] });
        const b = batch();
        const params = { W: tf.tensor2d([[0.5], [-1]]), b: tf.tensor2d([[0.25]]) };
        const out = lossGradientTensors(model, params, ['W'], terms, b, { step: 0, epoch: 0 }, gradientMode(model, terms), true);
        // u = x W + b, rows [1, 2], [3, -1], [0, 1]
        expect(Array.from(out.logits!.dataSync())).toEqual([-1.25, 2.75, -0.75]);
        const thrower = defineRegularizer({ id: 'boom', needs: [], defaults: {}, compute: () => { throw new Error('boom'); } });
        expect(() => lossGradientTensors(model, params, ['W'], [{ name: 'x', regularizer: thrower() }], b, { step: 0, epoch: 0 }, gradientMode(model, terms), true)).toThrow('boom');
        tf.dispose([out.values, out.logits!, ...Object.values(out.grads), ...Object.values(params), b.x, b.targets, b.teacherLogits]);
      }, `keepLogits (${vjp ? 'vjp' : 'autodiff'})`);
    }
  });
});
