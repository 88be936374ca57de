import * as tf from '@tensorflow/tfjs-core';
import { createRng, ensureGradients, type ModelIO, type ModelV1, type ParamTensors } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '../expect-no-tensor-leak.js';

export interface ModelConformanceOptions<P extends ParamTensors> {
  model: ModelV1<P>;
  io: ModelIO;
  /** Batch size of the test input (default 8). */
  batch?: number;
  /** Relative tolerance of vjp / applyWithVjp against tfjs autodiff (default 1e-4). */
  vjpRtol?: number;
}

/** ||a - b||_2 / ||b||_2 in float64 (0 when both vanish). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) { num += (a[i] - b[i]) ** 2; den += b[i] ** 2; }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

/**
 * Conformance suite for `ModelV1`: init is deterministic in the RNG (equal seeds give equal
 * parameters and outputs, different seeds different parameters), apply returns finite
 * [batch, outputDim] logits (and features with a matching batch size), init + apply + dispose
 * leak nothing, and a hand-written `vjp` / `applyWithVjp`, when the model has one, equals tfjs
 * autodiff: for a random cotangent D [batch, outputDim],
 *   vjp(p, x, D)_q = d/dq sum(apply(p, x).logits * D)   (relative error <= vjpRtol, default 1e-4)
 * for every trainable parameter q, and applyWithVjp returns apply's logits with the same gradients.
 */
export function describeModelConformance<P extends ParamTensors>(opts: ModelConformanceOptions<P>): void {
  const { model, io } = opts;
  const n = opts.batch ?? 8;
  const input = () => tf.tensor2d(createRng(99).fillNormal(new Float32Array(n * io.inputDim)), [n, io.inputDim]);
  const outputs = (seed: number) => {
    const params = model.init(createRng(seed), io);
    const x = input();
    const out = tf.tidy(() => {
      const r = model.apply(params, x);
      const values = Object.keys(params).sort().map((k) => Array.from(params[k].dataSync()));
      return { logits: r.logits.arraySync(), featureRows: r.features?.shape[0], shape: r.logits.shape, params: values };
    });
    x.dispose();
    // Params are named tensors (ParamTensors), so a model without dispose is released directly.
    if (model.dispose) model.dispose(params);
    else tf.dispose(Object.values(params));
    return out;
  };
  /** Gradients of sum(logits * D) per trainable parameter: [autodiff, vjp?, applyWithVjp?] as arrays. */
  const gradients = () => {
    const params = model.init(createRng(7), io);
    const names = [...(model.trainable ?? Object.keys(params))];
    const x = input();
    const dLogits = tf.tensor2d(createRng(8).fillNormal(new Float32Array(n * io.outputDim)), [n, io.outputDim]);
    const read = (g: Partial<Record<string, tf.Tensor>>) => Object.fromEntries(names.map((q) => [q, g[q] ? Array.from(g[q]!.dataSync()) : undefined]));
    const out = tf.tidy(() => {
      const f = (...ts: tf.Tensor[]): tf.Scalar => {
        const p = { ...params } as ParamTensors;
        names.forEach((q, i) => { p[q] = ts[i]; });
        // + 0 * sum(q) keeps every parameter on the tape: one the logits ignore (a feature
        // projection) has a zero gradient, which the vjp must give too.
        return tf.addN([tf.sum(tf.mul(model.apply(p as P, x).logits, dLogits)), ...ts.map((t) => tf.mul(0, tf.sum(t)))]) as tf.Scalar;
      };
      const auto = tf.grads(f)(names.map((q) => params[q]));
      const autodiff = Object.fromEntries(names.map((q, i) => [q, Array.from(auto[i].dataSync())]));
      const vjp = model.vjp ? read(model.vjp(params, x, dLogits)) : undefined;
      let fused: { logits: number[]; grads: Record<string, number[] | undefined> } | undefined;
      if (model.applyWithVjp) {
        const r = model.applyWithVjp(params, x, () => dLogits);
        fused = { logits: Array.from(r.logits.dataSync()), grads: read(r.grads) };
      }
      return { autodiff, vjp, fused, logits: Array.from(model.apply(params, x).logits.dataSync()) };
    });
    tf.dispose([x, dLogits]);
    if (model.dispose) model.dispose(params);
    else tf.dispose(Object.values(params));
    return { names, ...out };
  };
  const rtol = opts.vjpRtol ?? 1e-4;
  describe(`model conformance: ${model.id}`, () => {
    beforeAll(ensureGradients);
    it('apply gives finite logits of shape [batch, outputDim]', () => {
      const out = outputs(1);
      expect(out.shape).toEqual([n, io.outputDim]);
      expect(out.logits.flat().every(Number.isFinite)).toBe(true);
      if (out.featureRows !== undefined) expect(out.featureRows).toBe(n);
    });
    it('init is deterministic in the seed', () => {
      const [a, b, c] = [outputs(3), outputs(3), outputs(4)];
      expect(b.params).toEqual(a.params);
      expect(b.logits).toEqual(a.logits);
      // Parameters, not outputs: a symmetric initialization gives f = 0 for every seed.
      expect(c.params).not.toEqual(a.params);
    });
    it('init, apply and dispose leak no tensors', async () => {
      await expectNoTensorLeak(() => { outputs(5); }, `${model.id} init/apply/dispose`);
    });
    if (model.vjp || model.applyWithVjp) {
      it(`vjp / applyWithVjp equal tfjs autodiff (relative ${rtol}) and leak no tensors`, async () => {
        const g = await expectNoTensorLeak(gradients, `${model.id} vjp vs autodiff`);
        for (const [label, grads] of [['vjp', g.vjp], ['applyWithVjp', g.fused?.grads]] as const) {
          if (!grads) continue;
          for (const q of g.names) {
            expect(grads[q], `${label} gives a gradient for trainable parameter "${q}"`).toBeDefined();
            const err = relativeError(grads[q]!, g.autodiff[q]);
            expect(err, `${label} of "${q}": relative error ${err} against autodiff`).toBeLessThanOrEqual(rtol);
          }
        }
        if (g.fused) expect(relativeError(g.fused.logits, g.logits)).toBeLessThanOrEqual(rtol);
      });
    }
  });
}
