import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizer, InvalidOptionError, requireNumber } from '@pikt/core';
import { reduceBatch, checkReduction, type Reduction } from './reduction.js';

export type QuadraticPiOptions = {
  /** Weight lambda >= 0 of the PI term; give lambda or alpha, not both (neither: lambda = 1). */
  lambda: number | null;
  /** alpha = lambda / (1 + lambda) in [0, 1); sets lambda = alpha / (1 - alpha). */
  alpha: number | null;
  reduction: Reduction;
};

/**
 * The lambda a quadratic-PI options object stands for: `lambda`, or alpha / (1 - alpha) when
 * `alpha` is given, or 1. Trainers use it for ybar and the stability bound eta < 2 / ((1 + lambda) mu_max).
 */
export function effectiveLambda(options: Partial<QuadraticPiOptions>): number {
  if (typeof options.lambda === 'number') return options.lambda;
  if (typeof options.alpha === 'number') return options.alpha / (1 - options.alpha);
  return 1;
}

/**
 * The quadratic privileged-information term of SCIENCE.md section 2:
 *
 *   L_PI(u) = lambda / 2 * ||u - z||^2        (u: student logits, z: teacher logits, summed over the batch)
 *
 * Added to the label fit 1/2 ||u - y||^2 ('label-fit', loss 'squared') it gives
 * L_lambda = (1 + lambda)/2 ||u - ybar||^2 + const with ybar = (y + lambda z)/(1 + lambda)
 * = (1 - alpha) y + alpha z, so the student converges to ybar (prediction P1).
 */
export const quadraticPi = defineRegularizer({
  id: 'quadratic-pi',
  needs: ['teacherLogits'],
  defaults: { lambda: null, alpha: null, reduction: 'sum' } as QuadraticPiOptions,
  validate: (o) => {
    if (o.lambda !== null && o.alpha !== null) throw new InvalidOptionError('quadratic-pi.alpha', o.alpha, 'null when lambda is given (give lambda or alpha, not both: alpha = lambda / (1 + lambda))');
    if (o.lambda !== null) requireNumber('quadratic-pi.lambda', o.lambda, { min: 0 });
    if (o.alpha !== null) requireNumber('quadratic-pi.alpha', o.alpha, { min: 0, max: 1, maxExclusive: true });
    checkReduction('quadratic-pi', o.reduction);
  },
  prediction: (o) => (o.reduction === 'sum' ? { kind: 'quadratic', parts: [{ weight: effectiveLambda(o), target: 'teacherLogits' }] } : { kind: 'output-loss' }),
  compute: ({ studentLogits, teacherLogits }, o) =>
    tf.tidy(() => tf.mul(effectiveLambda(o) / 2, reduceBatch(tf.square(tf.sub(studentLogits, teacherLogits)), o.reduction))),
});
