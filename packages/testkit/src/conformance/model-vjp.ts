import * as tf from '@tensorflow/tfjs-core';
import { createRng, type ModelIO, type ModelV1, type ParamTensors } from '@pikt/core';

/** ||a - b||_2 / ||b||_2 in float64 (the absolute norm when b vanishes). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) { num += (a[i] - b[i]) ** 2; den += b[i] ** 2; }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/**
 * A model's hand-written gradients against tfjs autodiff. For parameters p = init(seed 7), a batch x
 * of `batch` rows and a random cotangent D [batch, outputDim]:
 *
 *     autodiff_q = d/dq sum(apply(p, x).logits * D),   vjp(p, x, D)_q,   applyWithVjp(p, x, () => D).grads_q
 *
 * for every trainable q. Returns the relative error of each ("vjp W", "applyWithVjp W", and
 * "applyWithVjp logits" against apply's); Infinity where a gradient is missing. Disposes everything.
 */
export async function vjpErrors<P extends ParamTensors>(model: ModelV1<P>, io: ModelIO, batch: number): Promise<Record<string, number>> {
  const params = model.init(createRng(7), io);
  const names = [...(model.trainable ?? Object.keys(params))];
  const x = tf.tensor2d(createRng(99).fillNormal(new Float32Array(batch * io.inputDim)), [batch, io.inputDim]);
  const dLogits = tf.tensor2d(createRng(8).fillNormal(new Float32Array(batch * io.outputDim)), [batch, io.outputDim]);
  const errors: Record<string, number> = {};
  // Pairs to compare (label, tensor, reference), kept past the tidy and read with await data():
  // GPU backends have no fast synchronous read (tfjs-backend-webgpu in Node has none).
  const pairs: Array<{ label: string; got: tf.Tensor; ref: tf.Tensor }> = [];
  let held: tf.Tensor[] = [];
  try {
    held = tf.tidy(() => {
      const f = (...ts: tf.Tensor[]): tf.Scalar => {
        const p = { ...params } as ParamTensors;
        names.forEach((q, i) => { p[q] = ts[i]; });
        // + 0 * sum(q) keeps every parameter on the tape: one the logits ignore (a feature
        // projection) has a zero gradient, which the vjp must give too.
        return tf.addN([tf.sum(tf.mul(model.apply(p as P, x).logits, dLogits)), ...ts.map((t) => tf.mul(0, tf.sum(t)))]) as tf.Scalar;
      };
      const auto = tf.grads(f)(names.map((q) => params[q]));
      const compare = (label: string, grads: Partial<Record<string, tf.Tensor>>) => {
        names.forEach((q, i) => {
          const g = grads[q];
          if (g) pairs.push({ label: `${label} ${q}`, got: g, ref: auto[i] });
          else errors[`${label} ${q}`] = Infinity;
        });
      };
      if (model.vjp) compare('vjp', model.vjp(params, x, dLogits));
      if (model.applyWithVjp) {
        const r = model.applyWithVjp(params, x, () => dLogits);
        compare('applyWithVjp', r.grads);
        pairs.push({ label: 'applyWithVjp logits', got: r.logits, ref: model.apply(params, x).logits });
      }
      return [...new Set(pairs.flatMap((pr) => [pr.got, pr.ref]))];
    });
    for (const pr of pairs) errors[pr.label] = relativeError(await pr.got.data(), await pr.ref.data());
  } finally {
    tf.dispose([...held, x, dLogits]);
    if (model.dispose) model.dispose(params);
    else tf.dispose(Object.values(params));
  }
  return errors;
}
