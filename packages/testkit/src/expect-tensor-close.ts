import * as tf from '@tensorflow/tfjs-core';
import { toleranceFor, type Tolerance } from './tolerance.js';

type Numeric = tf.Tensor | ArrayLike<number> | number;

function toArray(v: Numeric): { data: ArrayLike<number>; shape: number[] } {
  if (typeof v === 'number') return { data: [v], shape: [] };
  if (v instanceof tf.Tensor) return { data: v.dataSync(), shape: v.shape };
  return { data: v, shape: [v.length] };
}

/**
 * Assert |actual - expected| <= atol + rtol * |expected| elementwise (numpy's `allclose` rule).
 * The default tolerance depends on the active tfjs backend (see `BACKEND_TOLERANCE`). Throws an
 * Error naming the worst element, its index, both values and the tolerance used.
 */
export function expectTensorClose(actual: Numeric, expected: Numeric, tolerance: Partial<Tolerance> = {}): void {
  const tol = { ...toleranceFor(tf.getBackend()), ...tolerance };
  const a = toArray(actual);
  const e = toArray(expected);
  if (a.data.length !== e.data.length || (actual instanceof tf.Tensor && expected instanceof tf.Tensor && a.shape.join() !== e.shape.join())) {
    throw new Error(`expectTensorClose: shape mismatch, actual [${a.shape}] vs expected [${e.shape}].`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i];
    const y = e.data[i];
    const bound = tol.atol + tol.rtol * Math.abs(y);
    const diff = Math.abs(x - y);
    if (!(diff <= bound)) {
      const excess = Number.isNaN(diff) ? Infinity : diff - bound;
      if (worst < 0 || excess > worstExcess) { worst = i; worstExcess = excess; }
    }
  }
  if (worst >= 0) {
    throw new Error(
      `expectTensorClose: element ${worst} is ${a.data[worst]}, expected ${e.data[worst]} ` +
      `(|diff| ${Math.abs(a.data[worst] - e.data[worst]).toExponential(3)} > atol ${tol.atol} + rtol ${tol.rtol} * |expected|, backend ${tf.getBackend()}).`,
    );
  }
}
