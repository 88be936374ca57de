import * as tf from '@tensorflow/tfjs-core';
import { packSigns, type PackedPatterns } from '@pikt/linalg';

/** A computation that yields each tensor whose values it needs and is resumed with them (sync or async reader). */
export type Steps<T> = Generator<tf.Tensor, T, ArrayLike<number>>;
/** Reads a tensor's values (a synchronous copy on cpu/wasm, or the values `await data()` returned). */
export type Read = (t: tf.Tensor) => ArrayLike<number>;

/**
 * Pack the activation patterns s_ir = 1{w_r . x_i >= 0} of one neuron block (W^T block `wt`
 * [d, bm], neurons r0..r0+bm) into `side`, in row blocks of `bi` points: each block's
 * pre-activations Z = X_blk W_blk^T are one tfjs GEMM, read once and bit-packed (packSigns), so
 * no n x m tensor exists. `perBlock` reuses Z before it is disposed (the relu term of 'both').
 */
export function* packPatternSteps(pts: tf.Tensor2D, wt: tf.Tensor2D, side: PackedPatterns, r0: number, bi: number,
  perBlock?: (i0: number, z: tf.Tensor2D) => Steps<void>): Steps<void> {
  const [rows, d] = pts.shape;
  const bm = wt.shape[1];
  for (let i0 = 0; i0 < rows; i0 += bi) {
    const i1 = Math.min(rows, i0 + bi);
    const z: tf.Tensor2D = tf.tidy(() => tf.matMul(i1 - i0 === rows ? pts : tf.slice(pts, [i0, 0], [i1 - i0, d]), wt));
    try {
      packSigns(side, yield z, i1 - i0, bm, i0, r0);
      if (perBlock) yield* perBlock(i0, z);
    } finally {
      z.dispose();
    }
  }
}
