import * as tf from '@tensorflow/tfjs-core';
import { planNeuronBlocks } from './neuron-blocks.js';

/**
 * Hand-written vector-Jacobian product of the wide student's logits
 * f(x) = (1/sqrt(m)) sum_r a_r relu(w_r . x): for G = dL/dlogits [n, K],
 *
 *   dL/dw_r = (1/sqrt(m)) sum_i (G_i . a_r) 1{w_r . x_i > 0} x_i       i.e. dW = S^T X,
 *   dL/da_r = (1/sqrt(m)) sum_i G_i relu(w_r . x_i)                       i.e. da = relu(X W^T)^T G / sqrt(m),
 *
 * with S = ((G / sqrt(m)) a^T) .* 1{X W^T > 0}  [n, m]. (relu'(0) = 0, as in tfjs's autodiff.)
 * Computed per block of neurons; every product is an untransposed matMul after an explicit
 * `tf.transpose` of the smaller operand (matMul's transpose flags are 10-50x slower on wasm).
 * Returns dW [m, d] and, when `withA`, da [m, K]. Given the forward pass's activation `masks`
 * (first layer only), it skips recomputing X W^T: two n x d x m products per step instead of three.
 */
export function studentVjp(
  W: tf.Tensor2D, a: tf.Tensor2D, x: tf.Tensor2D, dLogits: tf.Tensor2D, blockSize: number, withA: boolean,
  masks?: readonly tf.Tensor[],
): { W: tf.Tensor2D; a?: tf.Tensor2D } {
  const [m, d] = W.shape;
  const k = a.shape[1];
  const n = x.shape[0];
  const g = tf.mul(dLogits, 1 / Math.sqrt(m)) as tf.Tensor2D;
  // dW_b = S_b^T X costs one transpose of either S_b [n, mb] or of the product X^T S_b [d, mb]:
  // transpose whichever is smaller.
  const xT = n > d ? tf.transpose(x) : null;
  const gT = withA ? tf.transpose(g) : null;
  const dWs: tf.Tensor2D[] = [];
  const das: tf.Tensor2D[] = [];
  planNeuronBlocks(m, n, blockSize).forEach((block, b) => {
    const [dWb, dab] = <tf.Tensor2D[]>tf.tidy((): tf.Tensor[] => {
      const ab = tf.slice(a, [block.start, 0], [block.size, k]);
      const M = tf.matMul(g, tf.transpose(ab));
      if (masks && !gT) {
        const S = tf.where(masks[b] as tf.Tensor2D, M, tf.zerosLike(M)) as tf.Tensor2D;
        return [xT ? tf.transpose(tf.matMul(xT, S)) : tf.matMul(tf.transpose(S), x)];
      }
      const Wb = tf.slice(W, [block.start, 0], [block.size, d]);
      const H = tf.matMul(x, tf.transpose(Wb));
      const S = tf.mul(M, tf.step(H)) as tf.Tensor2D;
      const dW = xT ? tf.transpose(tf.matMul(xT, S)) : tf.matMul(tf.transpose(S), x);
      return gT ? [dW, tf.transpose(tf.matMul(gT, tf.relu(H)))] : [dW];
    });
    dWs.push(dWb);
    if (dab) das.push(dab);
  });
  tf.dispose([g, ...(xT ? [xT] : []), ...(gT ? [gT] : [])]);
  const dW = concatRows(dWs);
  return withA ? { W: dW, a: concatRows(das) } : { W: dW };
}

function concatRows(parts: tf.Tensor2D[]): tf.Tensor2D {
  if (parts.length === 1) return parts[0];
  const out = tf.concat(parts, 0);
  tf.dispose(parts);
  return out;
}
