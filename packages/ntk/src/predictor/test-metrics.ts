import { accuracy, meanSquaredError, ShapeMismatchError, squaredError } from '@pikt/core';

/** Loss and accuracy of predictions on test points. */
export interface TestMetrics {
  /** 1/2 sum (f - y)^2, the objective's data term on the test set. */
  loss: number;
  /** mean (f - y)^2 over all test entries. */
  mse: number;
  /**
   * Fraction classified right, by core's `accuracy` (the rule the trainer's measured accuracy
   * uses): for K = 1 labels in {-1, +1} and f > 0 is class +1, f <= 0 class -1; for K > 1 argmax
   * agreement with ties to the lowest index (one-hot or centered one-hot labels). NaN when the
   * labels are not classes (K = 1 targets other than +-1) and 0 for no test points.
   */
  accuracy: number;
}

/** Metrics of row-major [nTest, K] predictions against labels of the same layout. */
export function testMetrics(pred: ArrayLike<number>, labels: ArrayLike<number>, K: number): TestMetrics {
  if (pred.length !== labels.length) throw new ShapeMismatchError('test predictions vs labels', [labels.length], [pred.length]);
  const acc = pred.length === 0 ? 0 : accuracy(pred, labels, K) ?? Number.NaN;
  return { loss: squaredError(pred, labels), mse: meanSquaredError(pred, labels), accuracy: acc };
}
