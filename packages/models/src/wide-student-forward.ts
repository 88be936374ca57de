import * as tf from '@tensorflow/tfjs-core';
import { planNeuronBlocks } from './neuron-blocks.js';
import { takeRows } from './take-rows.js';

export type StudentFeatureMode = 'none' | 'hidden' | 'projected';

/**
 * Blockwise forward pass of the wide student (SCIENCE.md section 1):
 *
 *   logits = (1/sqrt(m)) * relu(X W^T) a                      [n, K]
 *   hidden = (1/sqrt(m)) * relu(X W^T)                         [n, m]   (features: 'hidden')
 *   projected = (1/sqrt(m)) * relu(X W^T) P                    [n, p]   (features: 'projected')
 *
 * with W [m, d], a [m, K], P [m, p]. The 1/sqrt(m) on the features makes ||phi(x)||^2 tend to
 * kappa^2 ||x||^2 / 2 whatever the width, so feature losses keep their scale across widths.
 *
 * Works in the transposed layout: per block of neurons b, H_b^T = W_b X^T [block, n] with W_b a
 * block of rows (`takeRows`), and logits^T += a_b^T relu(H_b^T) [K, n]; only X (once) and the small
 * a_b, P_b and [K, n] results are transposed, explicitly (matMul's transpose flags are 10-50x
 * slower on wasm). No [n, m] intermediate is live except the 'hidden' features themselves. The two
 * halves of the neurons accumulate separately and are added last, which keeps f(.; W(0)) = 0 exact
 * under symmetric initialization. With `keepMasks` it also returns the activation patterns
 * 1{W_b X^T > 0} per block (float32 0/1, 4 n m bytes in all) for `studentVjp`. Differentiable by autodiff.
 */
export function studentForward(
  W: tf.Tensor2D, a: tf.Tensor2D, x: tf.Tensor2D, blockSize: number,
  featureMode: StudentFeatureMode = 'none', P?: tf.Tensor2D, keepMasks = false,
): { logits: tf.Tensor2D; features?: tf.Tensor2D; masks?: tf.Tensor[] } {
  const [m, d] = W.shape;
  const k = a.shape[1];
  const n = x.shape[0];
  const scale = 1 / Math.sqrt(m);
  const xT = tf.transpose(x);
  const halves: Array<tf.Tensor2D | null> = [null, null];
  const projected: Array<tf.Tensor2D | null> = [null, null];
  const hidden: tf.Tensor2D[] = [];
  const masks: tf.Tensor[] = [];
  for (const block of planNeuronBlocks(m, n, blockSize)) {
    // One tidy per block frees the block's [block, n] intermediates before the next block starts.
    const [o, extra] = <tf.Tensor2D[]>tf.tidy((): tf.Tensor[] => {
      const HT = tf.matMul(takeRows(W, block.start, block.size), xT);
      const RT = tf.relu(HT);
      const oT = tf.matMul(tf.transpose(takeRows(a, block.start, block.size)), RT);
      // step, not greater: a bool mask cost 2.6 ms a [1024, 200] block on wasm, a float32 step 0.2 ms.
      if (keepMasks) return [oT, tf.step(HT)];
      if (featureMode === 'projected' && P) return [oT, tf.matMul(tf.transpose(takeRows(P, block.start, block.size)), RT)];
      if (featureMode === 'hidden') return [oT, tf.mul(RT, scale) as tf.Tensor2D];
      return [oT];
    });
    halves[block.half] = accumulate(halves[block.half], o);
    if (keepMasks) masks.push(extra);
    else if (extra && featureMode === 'projected') projected[block.half] = accumulate(projected[block.half], extra);
    else if (extra) hidden.push(extra);
  }
  xT.dispose();
  const logits = tf.tidy(() => tf.transpose(tf.mul(sumHalves(halves, k, n), scale)) as tf.Tensor2D);
  disposeAll(halves);
  if (keepMasks) return { logits, masks };
  let features: tf.Tensor2D | undefined;
  if (featureMode === 'hidden') {
    features = tf.tidy(() => tf.transpose(hidden.length === 1 ? hidden[0] : tf.concat(hidden, 0)) as tf.Tensor2D);
    tf.dispose(hidden);
  } else if (featureMode === 'projected' && P) {
    features = tf.tidy(() => tf.transpose(tf.mul(sumHalves(projected, P.shape[1], n), scale)) as tf.Tensor2D);
    disposeAll(projected);
  }
  return features ? { logits, features } : { logits };
}

function accumulate(acc: tf.Tensor2D | null, term: tf.Tensor2D): tf.Tensor2D {
  if (!acc) return term;
  const next = tf.add(acc, term) as tf.Tensor2D;
  acc.dispose();
  term.dispose();
  return next;
}

function sumHalves(h: Array<tf.Tensor2D | null>, rows: number, cols: number): tf.Tensor2D {
  if (h[0] && h[1]) return tf.add(h[0], h[1]);
  return (h[0] ?? h[1])?.clone() ?? tf.zeros([rows, cols]);
}

function disposeAll(ts: Array<tf.Tensor | null>): void {
  for (const t of ts) t?.dispose();
}
