import * as tf from '@tensorflow/tfjs-core';
import { createRng, ensureGradients, type ModelIO, type ModelV1, type ParamTensors } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '../expect-no-tensor-leak.js';
import { vjpErrors } from './model-vjp.js';

export interface ModelConformanceOptions<P extends ParamTensors> {
  model: ModelV1<P>;
  io: ModelIO;
  /** Batch size of the test input (default 8). */
  batch?: number;
  /** Relative tolerance of vjp / applyWithVjp against tfjs autodiff (default 1e-4). */
  vjpRtol?: number;
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
        const errors = await expectNoTensorLeak(() => vjpErrors(model, io, n), `${model.id} vjp vs autodiff`);
        for (const [what, err] of Object.entries(errors)) {
          expect(err, `${what}: relative error ${err} against tfjs autodiff (Infinity: no gradient returned)`).toBeLessThanOrEqual(rtol);
        }
      });
    }
  });
}
