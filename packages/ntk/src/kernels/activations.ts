import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@pikt/core';

/**
 * A nonlinearity and its two Gaussian expectations, for (u, v) ~ N(0, [[q1, c], [c, q2]]):
 *
 *     k    = E[phi(u) phi(v)]        (the NNGP map)
 *     kdot = E[phi'(u) phi'(v)]      (the derivative kernel that multiplies the NTK)
 *
 * Adding an activation to the layer description is writing these two formulas and `apply`.
 */
export interface ActivationDefinition {
  readonly id: string;
  apply(x: tf.Tensor2D): tf.Tensor2D;
  kernel(q1: number, q2: number, c: number): { k: number; kdot: number };
}

/** Validates a definition and returns it as an activation usable by `activation(def)`. */
export function defineActivation(def: ActivationDefinition): ActivationDefinition {
  if (!def || typeof def.id !== 'string' || def.id.length === 0) throw new InvalidOptionError('activation.id', def?.id, 'a non-empty string');
  if (typeof def.apply !== 'function' || typeof def.kernel !== 'function') {
    throw new InvalidOptionError(`activation ${def.id}`, 'missing apply or kernel', 'an object with apply(x) and kernel(q1, q2, c)');
  }
  return def;
}

/** Evaluate a definition's kernel, clamping the correlation into [-1, 1] against round-off. */
export function activationKernel(def: ActivationDefinition, q1: number, q2: number, c: number): { k: number; kdot: number } {
  const lim = Math.sqrt(Math.max(q1, 0) * Math.max(q2, 0));
  const cc = c > lim ? lim : c < -lim ? -lim : c;
  return def.kernel(Math.max(q1, 0), Math.max(q2, 0), cc);
}

/**
 * ReLU, the arc-cosine kernels of orders 1 and 0 (Cho & Saul 2009):
 *
 *     k    = sqrt(q1 q2) (sin theta + (pi - theta) cos theta) / (2 pi),   kdot = (pi - theta) / (2 pi),
 *     theta = arccos(c / sqrt(q1 q2)).
 */
export const reluActivation: ActivationDefinition = defineActivation({
  id: 'relu',
  apply: (x) => tf.relu(x),
  kernel(q1, q2, c) {
    const s = Math.sqrt(q1 * q2);
    // A zero-variance input is u = 0, where relu(0) = 0 and the step 1{u >= 0} is 1.
    if (s === 0) return { k: 0, kdot: q1 === 0 && q2 === 0 ? 1 : 0.5 };
    const rho = c / s;
    const theta = rho >= 1 ? 0 : rho <= -1 ? Math.PI : Math.acos(rho);
    return {
      k: (s * Math.sin(theta) + (Math.PI - theta) * c) / (2 * Math.PI),
      kdot: (Math.PI - theta) / (2 * Math.PI),
    };
  },
});

/**
 * erf (Williams 1997):
 *
 *     k    = (2/pi) arcsin(2c / sqrt((1 + 2 q1)(1 + 2 q2))),
 *     kdot = (4/pi) / sqrt((1 + 2 q1)(1 + 2 q2) - 4 c^2).
 */
export const erfActivation: ActivationDefinition = defineActivation({
  id: 'erf',
  apply: (x) => tf.erf(x),
  kernel(q1, q2, c) {
    const den = (1 + 2 * q1) * (1 + 2 * q2);
    const arg = (2 * c) / Math.sqrt(den);
    return {
      k: (2 / Math.PI) * Math.asin(arg > 1 ? 1 : arg < -1 ? -1 : arg),
      kdot: (4 / Math.PI) / Math.sqrt(Math.max(den - 4 * c * c, Number.MIN_VALUE)),
    };
  },
});
