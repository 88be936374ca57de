import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizer } from '@pikt/core';

/*
 * The loss terms reproduce trains with (SCIENCE.md sections 2 and 4). They are defined here with
 * core's defineRegularizer until @pikt/regularizers exports its own; the ids match the ones that
 * package is specified to provide, so switching is a change of import.
 */

/** 1/2 ||u - y||^2 (summed over samples and outputs): the data term of L_lambda. */
export const squaredLabel = defineRegularizer({
  id: 'label-squared', needs: ['labels'], defaults: { weight: 1 },
  validate: (o) => (o.weight >= 0 ? undefined : 'weight must be >= 0'),
  compute: ({ studentLogits, labels }, o) => tf.tidy(() => tf.mul(o.weight / 2, tf.sum(tf.square(tf.sub(studentLogits, labels))))),
});

/** lambda/2 ||u - z||^2: the quadratic PI term of L_lambda. */
export const quadraticPi = defineRegularizer({
  id: 'quadratic-pi', needs: ['teacherLogits'], defaults: { lambda: 1 },
  validate: (o) => (o.lambda >= 0 ? undefined : 'lambda must be >= 0'),
  compute: ({ studentLogits, teacherLogits }, o) => tf.tidy(() => tf.mul(o.lambda / 2, tf.sum(tf.square(tf.sub(studentLogits, teacherLogits))))),
});

/**
 * Hinton's distillation term lambda T^2 sum_i KL(p_i(z/T) || p_i(u/T)); for one output the class
 * probabilities are (sigmoid(v), 1 - sigmoid(v)). Its gradient in u is lambda T (sigmoid(u/T) -
 * sigmoid(z/T)) per sample (K = 1), which the section 4 predictor integrates.
 */
export const temperatureKl = defineRegularizer({
  id: 'kl-temperature', needs: ['teacherLogits'], defaults: { lambda: 1, temperature: 2 },
  validate: (o) => (o.lambda >= 0 && o.temperature > 0 ? undefined : 'lambda must be >= 0 and temperature > 0'),
  compute: ({ studentLogits, teacherLogits }, o) => tf.tidy(() => {
    const T = o.temperature;
    const scale = o.lambda * T * T;
    if (studentLogits.shape[1] === 1) {
      const zs = tf.div(teacherLogits, T);
      const us = tf.div(studentLogits, T);
      const p = tf.sigmoid(zs);
      // KL(p || q) for Bernoulli p, q with logits zs, us: p (zs - us) + log(1 + e^us) - log(1 + e^zs).
      const kl = tf.sub(tf.add(tf.mul(p, tf.sub(zs, us)), tf.softplus(us)), tf.softplus(zs));
      return tf.mul(scale, tf.sum(kl));
    }
    const logP = tf.logSoftmax(tf.div(teacherLogits, T));
    const logQ = tf.logSoftmax(tf.div(studentLogits, T));
    return tf.mul(scale, tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ))));
  }),
});

/** lambda/2 ||phi_s(x) - phi_t(x)||^2: matching the student's (projected) features to the teacher's. */
export const featureMatching = defineRegularizer({
  id: 'feature-matching', needs: ['studentFeatures', 'teacherFeatures'], defaults: { lambda: 1 },
  validate: (o) => (o.lambda >= 0 ? undefined : 'lambda must be >= 0'),
  compute: ({ studentFeatures, teacherFeatures }, o) => tf.tidy(() => tf.mul(o.lambda / 2, tf.sum(tf.square(tf.sub(studentFeatures, teacherFeatures))))),
});

/** Gradient of the KL term in u for one output: lambda T (sigmoid(u/T) - sigmoid(z/T)). */
export function klGradient(u: number, z: number, lambda: number, T: number): number {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  return lambda * T * (sig(u / T) - sig(z / T));
}
