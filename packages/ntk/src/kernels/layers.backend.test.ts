import * as tf from '@tensorflow/tfjs-core';
import { createRng, InvalidOptionError } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { gradientNtk } from '../empirical/gradient-ntk.js';
import { kernelDrift } from '../empirical/kernel-drift.js';
import { unitPoints } from '../testing/fixtures.js';
import { defineActivation } from './activations.js';
import { twoLayerNtk } from './analytic-kernel.js';
import { erf, layerKernel, relu, twoLayerStudentLayers } from './layer-kernel.js';
import { activation, dense, serial, type LayerV1 } from './layers.js';
import { layersModel } from './layers-model.js';

const quiet = (): void => {};
const d = 5;
const x = unitPoints(6, d, 4);

/** ||a - b||_F / ||b||_F. */
const relFrob = (a: ArrayLike<number>, b: ArrayLike<number>): number => kernelDrift(b, a);

/** Mean empirical NTK of the layer description's finite network over `seeds` initializations. */
function ensembleNtk(layer: LayerV1, seeds: number): Float64Array {
  const model = layersModel(layer);
  const mean = new Float64Array(36);
  for (let s = 0; s < seeds; s++) {
    const params = model.init(createRng(s), { inputDim: d, outputDim: 1 });
    const k = gradientNtk(model, params, x, { inputDim: d });
    model.dispose!(params);
    for (let i = 0; i < 36; i++) mean[i] += k.data[i] / seeds;
  }
  return mean;
}

describe('neural-tangents-style layer description', () => {
  for (const trainLayers of ['first', 'both'] as const) {
    it(`serial(dense standard, relu, dense ntk) reproduces the two-layer kernel exactly (${trainLayers})`, () => {
      const layer = twoLayerStudentLayers({ width: 10, kappa: 1.3, trainLayers });
      const k = layerKernel(layer, x, null, { inputDim: d, onWarning: quiet }).ntk.data;
      const ref = twoLayerNtk(x, null, { inputDim: d, kappa: 1.3, trainLayers, onWarning: quiet }).data;
      for (let i = 0; i < 36; i++) expect(Math.abs(k[i] - ref[i])).toBeLessThan(1e-14);
    });
  }

  it('a deeper relu net with biases: the finite networks\' mean empirical NTK approaches the analytic kernel', () => {
    const layer = serial(
      dense({ width: 384, wStd: 1.2, bStd: 0.3, parameterization: 'standard' }), relu(),
      dense({ width: 384, wStd: 1.4, bStd: 0.2 }), relu(),
      dense({ width: 1, wStd: 1 }),
    );
    const analytic = layerKernel(layer, x, null, { inputDim: d, onWarning: quiet }).ntk.data;
    const err = relFrob(ensembleNtk(layer, 5), analytic);
    expect(err).toBeLessThan(0.1); // measured 0.063 (width 384, 5 draws)
    // a kernel with one term dropped (no bias contribution) is clearly further away
    const noBias = serial(dense({ width: 256, wStd: 1.2, parameterization: 'standard' }), relu(), dense({ width: 256, wStd: 1.4 }), relu(), dense({ width: 1 }));
    expect(relFrob(layerKernel(noBias, x, null, { inputDim: d, onWarning: quiet }).ntk.data, analytic)).toBeGreaterThan(2 * err);
  });

  it('a new activation (erf) plugs in through its kernel pair and matches its finite networks', () => {
    const layer = serial(dense({ width: 512, wStd: 1.5, parameterization: 'standard' }), erf(), dense({ width: 1, wStd: 1 }));
    const analytic = layerKernel(layer, x, null, { inputDim: d, onWarning: quiet }).ntk.data;
    expect(relFrob(ensembleNtk(layer, 6), analytic)).toBeLessThan(0.06); // measured 0.025
  });

  it('defineActivation accepts a user activation (identity) whose kernel makes the net linear', () => {
    const identity = defineActivation({ id: 'identity', apply: (t) => t, kernel: (_q1, _q2, c) => ({ k: c, kdot: 1 }) });
    const layer = serial(dense({ width: 8, parameterization: 'standard' }), activation(identity), dense({ width: 1 }));
    const k = layerKernel(layer, x, null, { inputDim: d, onWarning: quiet }).ntk.data;
    // Theta = x.x' (first layer, standard) + x.x' (readout, ntk, sigma_w = 1) = 2 x.x'
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let g = 0;
        for (let q = 0; q < d; q++) g += x[i * d + q] * x[j * d + q];
        expect(k[i * 6 + j]).toBeCloseTo(2 * g, 14);
      }
    }
    expect(() => defineActivation({ id: '', apply: (t) => t, kernel: () => ({ k: 0, kdot: 0 }) })).toThrow(InvalidOptionError);
  });

  it('refuses a standard-parameterized hidden layer and an activation on raw inputs', () => {
    const bad = serial(dense({ width: 4 }), relu(), dense({ width: 1, parameterization: 'standard' }));
    expect(() => layerKernel(bad, x, null, { inputDim: d, onWarning: quiet })).toThrow(/standard/);
    expect(() => layerKernel(serial(relu(), dense()), x, null, { inputDim: d, onWarning: quiet })).toThrow(/after a dense layer/);
    expect(() => dense({ width: 0 })).toThrow(InvalidOptionError);
  });

  it('layersModel: deterministic init, [batch, K] logits, declared trainable parameters, no leaks', async () => {
    const model = layersModel(twoLayerStudentLayers({ width: 16, outputs: 3, trainLayers: 'both' }));
    expect(model.trainable).toEqual(['0.W', '2.W']);
    const out = await expectNoTensorLeak(() => {
      const p1 = model.init(createRng(1), { inputDim: d, outputDim: 3 });
      const p2 = model.init(createRng(1), { inputDim: d, outputDim: 3 });
      const xt = tf.tensor2d(Float32Array.from(x), [6, d]);
      const l1 = tf.tidy(() => model.apply(p1, xt).logits.arraySync());
      const l2 = tf.tidy(() => model.apply(p2, xt).logits.arraySync());
      xt.dispose();
      model.dispose!(p1);
      model.dispose!(p2);
      return { l1, l2 };
    }, 'layersModel init/apply');
    expect(out.l1).toEqual(out.l2);
    expect(out.l1).toHaveLength(6);
    expect(out.l1[0]).toHaveLength(3);
    expect(() => model.init(createRng(1), { inputDim: d, outputDim: 2 })).toThrow(/outputDim/);
  });
});
