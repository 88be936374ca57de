import { requireOneOf } from '@pikt/core';
import * as tf from '@tensorflow/tfjs-core';

/** How a term combines its per-sample values: the sum (SCIENCE.md's L) or the mean over the batch. */
export type Reduction = 'sum' | 'mean';

export const REDUCTIONS: readonly Reduction[] = ['sum', 'mean'];

/**
 * Sum every element of `perElement` ([batch, ...]) and, for 'mean', divide by the batch size.
 * 'sum' is the objective of SCIENCE.md section 2 (a sum over the n training samples, the theory's
 * step sizes); 'mean' keeps the scale independent of the batch size for mini-batch SGD.
 */
export function reduceBatch(perElement: tf.Tensor, reduction: Reduction): tf.Scalar {
  return tf.tidy(() => {
    const total = tf.sum(perElement) as tf.Scalar;
    return reduction === 'mean' ? tf.div(total, perElement.shape[0] ?? 1) : total;
  });
}

/** `validate` helper: `<owner>.reduction` must be one of 'sum', 'mean' (core's option check). */
export function checkReduction(owner: string, reduction: unknown): void {
  requireOneOf(`${owner}.reduction`, reduction, REDUCTIONS);
}
