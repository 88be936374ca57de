import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizer, requireNumber } from '@pikt/core';
import { reduceBatch, checkReduction, type Reduction } from './reduction.js';

export type HintonKlOptions = {
  /** Softening temperature T > 0. */
  temperature: number;
  weight: number;
  reduction: Reduction;
};

/**
 * Hinton, Vinyals & Dean's distillation term at temperature T (SCIENCE.md section 4):
 *
 *   L = w * T^2 * sum_i KL( softmax(z_i / T) || softmax(u_i / T) )
 *     = w * T^2 * sum_i sum_k p_ik (log p_ik - log q_ik),   p = softmax(z/T), q = softmax(u/T)
 *
 * The T^2 factor keeps the gradient dL/du = w T (q - p) on the scale of the hard-label term as T
 * grows. For K = 1 the logit is a binary logit: p = sigmoid(z/T) against q = sigmoid(u/T) (softmax
 * of [logit, 0]).
 */
export const hintonKl = defineRegularizer({
  id: 'hinton-kl',
  needs: ['teacherLogits'],
  defaults: { temperature: 4, weight: 1, reduction: 'sum' } as HintonKlOptions,
  validate: (o) => {
    requireNumber('hinton-kl.temperature', o.temperature, { min: 0, minExclusive: true });
    requireNumber('hinton-kl.weight', o.weight, { min: 0 });
    checkReduction('hinton-kl', o.reduction);
  },
  compute: ({ studentLogits, teacherLogits }, o) =>
    tf.tidy(() => {
      const logits = (t: tf.Tensor2D) => {
        const scaled = tf.div(t, o.temperature) as tf.Tensor2D;
        return t.shape[1] === 1 ? tf.concat([scaled, tf.zerosLike(scaled)], 1) : scaled;
      };
      const logP = tf.logSoftmax(logits(teacherLogits));
      const logQ = tf.logSoftmax(logits(studentLogits));
      const kl = tf.mul(tf.exp(logP), tf.sub(logP, logQ));
      return tf.mul(o.weight * o.temperature * o.temperature, reduceBatch(kl, o.reduction));
    }),
});
