import * as tf from '@tensorflow/tfjs-core';

/**
 * A slice copies at most this many times the rows it returns; beyond that, a gather is cheaper.
 * On wasm, `tf.slice` first copies the *whole* input out of the heap (its kernel calls readSync,
 * about 1 ns a byte here), while a gather reads only the rows it returns but at 80-170 ns an
 * element (measured on a [2048, 32] W: slice of 1024 rows 0.3 ms, gather 2.7 ms). So a slice wins
 * while the input has fewer than ~20 blocks' worth of rows; cutting a [10^5, 784] W into 98
 * blocks by slices copied 98 x 313 MB per pass (35 s), which the gather avoids.
 */
const MAX_SLICE_RATIO = 16;

/**
 * Rows [start, start + size) of a 2-D tensor: a slice while the tensor holds at most 16 times
 * `size` rows, else a gather (see MAX_SLICE_RATIO). Both return the same values. The gradient is
 * the zero-padded upstream gradient, as for a slice (wasm has no kernel for gather's own gradient,
 * UnsortedSegmentSum), so autodiff through the student still works everywhere.
 */
export function takeRows(t: tf.Tensor2D, start: number, size: number): tf.Tensor2D {
  const [rows, cols] = t.shape;
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = inputs[0] as tf.Tensor2D;
    return {
      value: rows <= MAX_SLICE_RATIO * size
        ? tf.slice(x, [start, 0], [size, cols])
        : tf.gather(x, tf.range(start, start + size, 1, 'int32')),
      gradFunc: (dy: tf.Tensor) => tf.pad(dy as tf.Tensor2D, [[start, rows - start - size], [0, 0]]),
    };
  });
  return f(t) as tf.Tensor2D;
}
