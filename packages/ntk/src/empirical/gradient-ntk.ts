import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, type ModelV1, type ParamTensors } from '@pikt/core';
import { rowCount } from '../kernels/inner-products.js';
import type { KernelMatrix } from '../kernels/analytic-kernel.js';
import { assertFits, DEFAULT_DENSE_BUDGET_BYTES, type RealArray, requireFinite } from '@pikt/linalg';

export interface GradientNtkOptions {
  inputDim: number;
  /** Parameters to differentiate (default: `model.trainable`, else all of `params`). */
  trainable?: readonly string[];
  /** Use the model's hand-written `vjp` when it has one (default true); false forces tfjs autodiff. */
  useVjp?: boolean;
  /** Refuse a Jacobian above this many float64 bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/**
 * Empirical NTK of any `ModelV1` from per-example gradients (Jacot et al. 2018):
 *
 *     Theta[(i,k), (j,l)] = sum_p d f_k(x_i)/d theta_p  d f_l(x_j)/d theta_p,
 *
 * over the trainable parameters. Row/column index i*K + k (sample-major, K = outputs), so for one
 * output it is the n x n Gram. One backward pass per (example, output): the slow, general path
 * for small n, and the reference the structured two-layer formula is checked against. Gradients
 * are float32 (tfjs) and the products are summed in float64.
 */
export function gradientNtk<P extends ParamTensors>(model: ModelV1<P>, params: P, x: RealArray, opts: GradientNtkOptions): KernelMatrix {
  const d = opts.inputDim;
  const n = rowCount('x', x, d);
  requireFinite('x', x);
  const names = [...(opts.trainable ?? model.trainable ?? Object.keys(params))];
  for (const name of names) {
    if (!(name in params)) throw new InvalidOptionError('trainable', name, `one of the parameter names: ${Object.keys(params).join(', ')}`);
  }
  const sizes = names.map((k) => params[k].size);
  const p = sizes.reduce((a, b) => a + b, 0);
  const xs = Float32Array.from(x as ArrayLike<number>);
  const probe = tf.tidy(() => model.apply(params, tf.tensor2d(xs.subarray(0, d), [1, d])).logits.shape);
  if (probe.length !== 2 || probe[0] !== 1) throw new ShapeMismatchError(`${model.id}.apply logits`, '[1, K]', probe);
  const K = probe[1];
  assertFits(`Jacobian (${n * K} x ${p} float64)`, n * K * p, 8, opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES);
  const J = new Float64Array(n * K * p);
  const useVjp = (opts.useVjp ?? true) && typeof model.vjp === 'function';
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const grads = tf.tidy(() => {
        const xi = tf.tensor2d(xs.subarray(i * d, (i + 1) * d), [1, d]);
        const e = tf.tensor2d(Float32Array.from({ length: K }, (_, q) => (q === k ? 1 : 0)), [1, K]);
        if (useVjp) {
          const g = model.vjp!(params, xi, e);
          return names.map((name) => {
            const t = g[name as keyof P & string];
            if (!t) throw new InvalidOptionError(`${model.id}.vjp`, `no gradient for "${name}"`, 'a gradient for every trainable parameter');
            return t;
          });
        }
        const f = (...ts: tf.Tensor[]): tf.Scalar => {
          const q = { ...params } as Record<string, tf.Tensor>;
          names.forEach((name, s) => { q[name] = ts[s]; });
          return tf.sum(tf.mul(model.apply(q as P, xi).logits, e));
        };
        return tf.grads(f)(names.map((name) => params[name]));
      });
      let off = (i * K + k) * p;
      for (const g of grads) {
        const data = g.dataSync();
        for (let q = 0; q < data.length; q++) J[off + q] = data[q];
        off += data.length;
      }
      tf.dispose(grads);
    }
  }
  const rows = n * K;
  const data = new Float64Array(rows * rows);
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      const oa = a * p;
      const ob = b * p;
      for (let q = 0; q < p; q++) s += J[oa + q] * J[ob + q];
      data[a * rows + b] = s;
      data[b * rows + a] = s;
    }
  }
  return { rows, cols: rows, data };
}
