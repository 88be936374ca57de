import * as tf from '@tensorflow/tfjs-core';
import type { NeuronBlock } from './neuron-blocks.js';

/** The whole layer is computed at once while [m, n] intermediates stay at most 2^23 floats (32 MiB each)... */
const MAX_WHOLE_ELEMENTS = 2 ** 23;
/** ...and there are at most 8 blocks (the second layer's block-diagonal product costs nb x its flops). */
const MAX_WHOLE_BLOCKS = 8;

/**
 * Whether the student's passes run on all m neurons at once instead of block by block (on wasm).
 * Same numbers either way (see `wholeForward`), fewer and larger kernels: at n = 200, d = 32, m = 2048 on wasm a
 * block costs a row slice of W (the kernel copies the whole W out of the heap), a matMul and five
 * small kernels of ~0.1-0.3 ms fixed cost each, the same order as the block's arithmetic.
 */
export function runsWhole(m: number, n: number, blocks: readonly NeuronBlock[]): boolean {
  // wasm only: the equality below rests on XNNPACK summing in inner-index order. tfjs's cpu backend
  // tiles the inner index by 48 (the zero terms move the tile edges) and GPU shaders sum vec4s.
  return tf.getBackend() === 'wasm' && m * n <= MAX_WHOLE_ELEMENTS && blocks.length <= MAX_WHOLE_BLOCKS;
}

/**
 * The blockwise forward pass of wide-student-forward.ts in four products-and-maps on the whole layer:
 *
 *   H^T = W X^T [m, n],  R^T = relu(H^T),  P = A R^T [nb K, n],  logits^T = scale * (sum_b in half 0 P_b + sum_b in half 1 P_b)
 *
 * where A [nb K, m] is block-diagonal: row (b, k) holds a[:, k] on block b's neurons and zeros
 * elsewhere, so P_b = a_b^T R_b^T exactly as the block's own product: XNNPACK sums each output
 * element in inner-index order (one accumulator, no FMA on wasm), and the zero terms before and
 * after block b add exact zeros. The partial sums are then added in the blockwise order, halves
 * last, so symmetric initialization still cancels exactly. H^T's elements are the same dot
 * products w_r . x_i as the block's. Returns the logits and, with `keepMasks`, one mask
 * 1{H^T > 0} [m, n] (float32 0/1). The tensors are the caller's; call inside or outside a tidy.
 */
export function wholeForward(W: tf.Tensor2D, a: tf.Tensor2D, x: tf.Tensor2D, blocks: readonly NeuronBlock[], keepMasks: boolean): { logits: tf.Tensor2D; masks?: tf.Tensor[] } {
  const [m] = W.shape;
  const k = a.shape[1];
  const n = x.shape[0];
  const scale = 1 / Math.sqrt(m);
  const out = tf.tidy(() => {
    const HT = tf.matMul(W, tf.transpose(x));
    const RT = tf.relu(HT);
    const partial = tf.reshape(tf.matMul(blockDiagonal(a, blocks), RT), [blocks.length, k, n]);
    const parts = tf.unstack(partial) as tf.Tensor2D[];
    const halves: Array<tf.Tensor2D | null> = [null, null];
    blocks.forEach((b, i) => { halves[b.half] = halves[b.half] ? tf.add(halves[b.half] as tf.Tensor2D, parts[i]) as tf.Tensor2D : parts[i]; });
    const sum = halves[0] && halves[1] ? tf.add(halves[0], halves[1]) : (halves[0] ?? halves[1] ?? tf.zeros([k, n]) as tf.Tensor2D);
    const logits = tf.transpose(tf.mul(sum, scale)) as tf.Tensor2D;
    return keepMasks ? [logits, tf.step(HT)] : [logits];
  });
  return keepMasks ? { logits: out[0] as tf.Tensor2D, masks: [out[1]] } : { logits: out[0] as tf.Tensor2D };
}

/** A [nb K, m]: row b K + k is a[:, k]^T on block b's columns, 0 elsewhere. */
function blockDiagonal(a: tf.Tensor2D, blocks: readonly NeuronBlock[]): tf.Tensor2D {
  const [m, k] = a.shape;
  const indicator = new Float32Array(blocks.length * m);
  blocks.forEach((b, i) => indicator.fill(1, i * m + b.start, i * m + b.start + b.size));
  return tf.reshape(tf.mul(tf.reshape(tf.transpose(a), [1, k, m]), tf.tensor3d(indicator, [blocks.length, 1, m])), [blocks.length * k, m]);
}

/**
 * The first layer's vjp of wide-student-vjp.ts on the whole layer: dW = S^T X with
 * S^T = (a G^T / sqrt(m)) .* 1{W X^T > 0} [m, n]; each element is the block's (products over the
 * K outputs, then one sum over the n rows in order). Uses the forward pass's whole-layer `mask`
 * when given, else recomputes W X^T.
 */
export function wholeVjp(W: tf.Tensor2D, a: tf.Tensor2D, x: tf.Tensor2D, dLogits: tf.Tensor2D, mask?: tf.Tensor): tf.Tensor2D {
  const [m] = W.shape;
  return tf.tidy(() => {
    const gT = tf.transpose(tf.mul(dLogits, 1 / Math.sqrt(m)));
    const MT = tf.matMul(a, gT);
    const on = mask ?? tf.step(tf.matMul(W, tf.transpose(x)));
    return tf.matMul(tf.mul(MT, on) as tf.Tensor2D, x);
  });
}
