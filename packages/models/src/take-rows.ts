import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows [start, start + size) of a 2-D tensor, as a gather. On wasm, `tf.slice` first copies the
 * *whole* input out of the heap (its kernel calls readSync), so cutting a [10^5, 784] W into 98
 * blocks copied 98 x 313 MB per pass (35 s); a gather reads only the rows it returns. The
 * gradient is the zero-padded upstream gradient, as for a slice (wasm has no kernel for gather's
 * own gradient, UnsortedSegmentSum), so autodiff through the student still works everywhere.
 */
export function takeRows(t: tf.Tensor2D, start: number, size: number): tf.Tensor2D {
  const rows = t.shape[0];
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = inputs[0] as tf.Tensor2D;
    return {
      value: tf.gather(x, tf.range(start, start + size, 1, 'int32')),
      gradFunc: (dy: tf.Tensor) => tf.pad(dy as tf.Tensor2D, [[start, rows - start - size], [0, 0]]),
    };
  });
  return f(t) as tf.Tensor2D;
}
