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
  // Reads with `await data()`: GPU backends have no (fast) synchronous read.
  const outputs = async (seed: number) => {
    const params = model.init(createRng(seed), io);
    const x = input();
    const r = tf.tidy(() => model.apply(params, x));
    const values: number[][] = [];
    for (const k of Object.keys(params).sort()) values.push(Array.from(await params[k].data()));
    const out = { logits: (await r.logits.array()) as number[][], featureRows: r.features?.shape[0], shape: r.logits.shape, params: values };
    tf.dispose([r.logits, ...(r.features ? [r.features] : []), x]);
    // Params are named tensors (ParamTensors), so a model without dispose is released directly.
    if (model.dispose) model.dispose(params);
    else tf.dispose(Object.values(params));
    return out;
  };
  /** Gradients of sum(logits * D) per trainable parameter: [autodiff, vjp?, applyWithVjp?] as arrays (read with await data()). */
  const gradients = async () => {
    const params = model.init(createRng(7), io);
    const names = [...(model.trainable ?? Object.keys(params))];
    const x = input();
    const dLogits = tf.tensor2d(createRng(8).fillNormal(new Float32Array(n * io.outputDim)), [n, io.outputDim]);
    const t = tf.tidy(() => {
      const f = (...ts: tf.Tensor[]): tf.Scalar => {
        const p = { ...params } as ParamTensors;
        names.forEach((q, i) => { p[q] = ts[i]; });
        // + 0 * sum(q) keeps every parameter on the tape: one the logits ignore (a feature
        // projection) has a zero gradient, which the vjp must give too.
        return tf.addN([tf.sum(tf.mul(model.apply(p as P, x).logits, dLogits)), ...ts.map((t) => tf.mul(0, tf.sum(t)))]) as tf.Scalar;
      };
      const auto = tf.grads(f)(names.map((q) => params[q]));
      const vjp = model.vjp ? model.vjp(params, x, dLogits) : undefined;
      const fused = model.applyWithVjp ? model.applyWithVjp(params, x, () => dLogits) : undefined;
      // tidy keeps the tensors of the returned object; absent gradients stay undefined.
      return {
        auto, logits: model.apply(params, x).logits,
        vjp: vjp ? names.map((q) => vjp[q]) : undefined,
        fusedLogits: fused?.logits, fusedGrads: fused ? names.map((q) => fused.grads[q]) : undefined,
      } as unknown as tf.TensorContainerObject;
    }) as unknown as { auto: tf.Tensor[]; logits: tf.Tensor; vjp?: Array<tf.Tensor | undefined>; fusedLogits?: tf.Tensor; fusedGrads?: Array<tf.Tensor | undefined> };
    const arr = async (g: tf.Tensor | undefined) => (g ? Array.from(await g.data()) : undefined);
    const byName = async (gs: Array<tf.Tensor | undefined>) => {
      const out: Record<string, number[] | undefined> = {};
      for (let i = 0; i < names.length; i++) out[names[i]] = await arr(gs[i]);
      return out;
    };
    const autodiff = (await byName(t.auto)) as Record<string, number[]>;
    const vjp = t.vjp ? await byName(t.vjp) : undefined;
    const fused = t.fusedGrads ? { logits: (await arr(t.fusedLogits)) ?? [], grads: await byName(t.fusedGrads) } : undefined;
    const logits = (await arr(t.logits)) ?? [];
    const own = [...t.auto, t.logits, ...(t.vjp ?? []), t.fusedLogits, ...(t.fusedGrads ?? [])].filter((g): g is tf.Tensor => g !== undefined);
    tf.dispose([...new Set(own), x, dLogits]);
    if (model.dispose) model.dispose(params);
    else tf.dispose(Object.values(params));
    return { names, autodiff, vjp, fused, logits };
  };
  const rtol = opts.vjpRtol ?? 1e-4;
  describe(`model conformance: ${model.id}`, () => {
    beforeAll(ensureGradients);
    it('apply gives finite logits of shape [batch, outputDim]', async () => {
      const out = await outputs(1);
      expect(out.shape).toEqual([n, io.outputDim]);
      expect(out.logits.flat().every(Number.isFinite)).toBe(true);
      if (out.featureRows !== undefined) expect(out.featureRows).toBe(n);
    });
    it('init is deterministic in the seed', async () => {
      const [a, b, c] = [await outputs(3), await outputs(3), await outputs(4)];
      expect(b.params).toEqual(a.params);
      expect(b.logits).toEqual(a.logits);
      // Parameters, not outputs: a symmetric initialization gives f = 0 for every seed.
      expect(c.params).not.toEqual(a.params);
    });
    it('init, apply and dispose leak no tensors', async () => {
      await expectNoTensorLeak(async () => { await outputs(5); }, `${model.id} init/apply/dispose`);
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
