import * as tf from '@tensorflow/tfjs-core';
import type { ModelV1 } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { vjpErrors } from './model-vjp.js';

type Linear = { W: tf.Tensor2D };
/** u = x W; its exact vjp is dW = x^T D, scaled here by `scale` (1: right, 2: a bug the check must catch). */
function linear(scale: number, withVjp: 'vjp' | 'fused' | 'missing'): ModelV1<Linear> {
  const vjp = (_p: Linear, x: tf.Tensor2D, d: tf.Tensor2D) => ({ W: tf.mul(scale, tf.matMul(tf.transpose(x), d)) });
  return {
    specificationVersion: 'v1', id: `linear-${scale}-${withVjp}`,
    init: (rng, io) => ({ W: tf.tensor2d(rng.fillNormal(new Float32Array(io.inputDim * io.outputDim)), [io.inputDim, io.outputDim]) }),
    apply: (p, x) => ({ logits: tf.matMul(x, p.W) }),
    ...(withVjp === 'vjp' ? { vjp } : {}),
    ...(withVjp === 'missing' ? { vjp: () => ({}) } : {}),
    ...(withVjp === 'fused' ? { applyWithVjp: (p: Linear, x: tf.Tensor2D, backward: (u: tf.Tensor2D) => tf.Tensor2D) => {
      const logits: tf.Tensor2D = tf.matMul(x, p.W);
      return { logits, grads: vjp(p, x, backward(logits)) };
    } } : {}),
  };
}

describe('vjpErrors (the model suite\'s vjp-vs-autodiff check)', () => {
  const io = { inputDim: 3, outputDim: 2 };
  it('a correct vjp / applyWithVjp agrees with autodiff to float32 rounding, and nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const v = await vjpErrors(linear(1, 'vjp'), io, 5);
    const f = await vjpErrors(linear(1, 'fused'), io, 5);
    expect(Object.keys(v)).toEqual(['vjp W']);
    expect(Object.keys(f)).toEqual(['applyWithVjp W', 'applyWithVjp logits']);
    for (const e of [...Object.values(v), ...Object.values(f)]) expect(e).toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('a vjp off by a factor 2 has relative error 1; a missing gradient is Infinity', async () => {
    expect((await vjpErrors(linear(2, 'vjp'), io, 5))['vjp W']).toBeCloseTo(1, 5);
    expect((await vjpErrors(linear(2, 'fused'), io, 5))['applyWithVjp W']).toBeCloseTo(1, 5);
    expect(await vjpErrors(linear(1, 'missing'), io, 5)).toEqual({ 'vjp W': Infinity });
  });
});
