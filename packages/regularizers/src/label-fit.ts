import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizer, requireNumber, requireOneOf } from '@pikt/core';
import { reduceBatch, checkReduction, type Reduction } from './reduction.js';

export type LabelFitOptions = {
  /** 'squared': 1/2 ||u - y||^2; 'cross-entropy': softmax cross-entropy (logistic loss when K = 1). */
  loss: 'squared' | 'cross-entropy';
  weight: number;
  reduction: Reduction;
};

/**
 * The data-fit term (SCIENCE.md section 2), with u the student's logits and y the targets:
 *
 *   squared:        L = w/2 * sum_i ||u_i - y_i||^2
 *   cross-entropy:  L = -w * sum_i sum_k y_ik log softmax(u_i)_k     (K >= 2, rows of y are probabilities)
 *                   L =  w * sum_i log(1 + exp(-y_i u_i))              (K = 1, y in {-1, +1})
 */
export const labelFit = defineRegularizer({
  id: 'label-fit',
  needs: ['targets'],
  defaults: { loss: 'squared', weight: 1, reduction: 'sum' } as LabelFitOptions,
  validate: (o) => {
    requireOneOf('label-fit.loss', o.loss, ['squared', 'cross-entropy']);
    requireNumber('label-fit.weight', o.weight, { min: 0 });
    checkReduction('label-fit', o.reduction);
  },
  // Only the summed squared loss is the closed form's w/2 ||u - y||^2; the rest is a loss of the outputs.
  prediction: (o) => (o.loss === 'squared' && o.reduction === 'sum' ? { kind: 'quadratic', parts: [{ weight: o.weight, target: 'targets' }] } : { kind: 'output-loss' }),
  compute: ({ studentLogits: u, targets: y }, o) =>
    tf.tidy(() => {
      if (o.loss === 'squared') return tf.mul(o.weight / 2, reduceBatch(tf.square(tf.sub(u, y)), o.reduction));
      if (u.shape[1] === 1) return tf.mul(o.weight, reduceBatch(tf.softplus(tf.neg(tf.mul(y, u))), o.reduction));
      return tf.mul(-o.weight, reduceBatch(tf.mul(y, tf.logSoftmax(u)), o.reduction));
    }),
});
