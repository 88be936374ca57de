import { ShapeMismatchError } from '@pikt/core';

/** Loss and accuracy of predictions on test points. */
export interface TestMetrics {
  /** 1/2 sum (f - y)^2, the objective's data term on the test set. */
  loss: number;
  /** mean (f - y)^2 over all test entries. */
  mse: number;
  /**
   * Fraction classified right: sign agreement for K = 1 (labels in {-1, +1}), argmax agreement
   * for K > 1 (one-hot or centered one-hot labels).
   */
  accuracy: number;
}

/** Metrics of row-major [nTest, K] predictions against labels of the same layout. */
export function testMetrics(pred: ArrayLike<number>, labels: ArrayLike<number>, K: number): TestMetrics {
  if (pred.length !== labels.length) throw new ShapeMismatchError('test predictions vs labels', [labels.length], [pred.length]);
  const nTest = pred.length / K;
  let sq = 0;
  for (let i = 0; i < pred.length; i++) sq += (pred[i] - labels[i]) ** 2;
  let right = 0;
  for (let i = 0; i < nTest; i++) {
    if (K === 1) {
      if (Math.sign(pred[i]) === Math.sign(labels[i]) && labels[i] !== 0) right += 1;
    } else if (argmax(pred, i * K, K) === argmax(labels, i * K, K)) {
      right += 1;
    }
  }
  return { loss: 0.5 * sq, mse: pred.length ? sq / pred.length : 0, accuracy: nTest ? right / nTest : 0 };
}

function argmax(a: ArrayLike<number>, off: number, K: number): number {
  let best = 0;
  for (let k = 1; k < K; k++) if (a[off + k] > a[off + best]) best = k;
  return best;
}
