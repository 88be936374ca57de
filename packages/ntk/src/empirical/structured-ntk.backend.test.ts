import * as tf from '@tensorflow/tfjs-core';
import { createRng, OutOfMemoryBudgetError } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { hinf } from '../kernels/analytic-kernel.js';
import { twoLayerStudentLayers } from '../kernels/layer-kernel.js';
import { layersModel } from '../kernels/layers-model.js';
import { unitPoints } from '../testing/fixtures.js';
import { gradientNtk } from './gradient-ntk.js';
import { kernelDrift, kernelDriftFromWeights, kernelDriftFromWeightsAsync } from './kernel-drift.js';
import { structuredNtk, structuredNtkAsync } from './structured-ntk.js';
import type { NtkWarning } from '../warnings.js';

const quiet = (): void => {};

/** The student as a layers model with first layer W [m, d] and readout signs a [m, K] set by hand. */
function studentParams(w: Float32Array, a: Float32Array, m: number, d: number, K: number) {
  const wT = new Float32Array(d * m);
  for (let r = 0; r < m; r++) for (let j = 0; j < d; j++) wT[j * m + r] = w[r * d + j];
  return { '0.W': tf.tensor2d(wT, [d, m]), '2.W': tf.tensor2d(a, [m, K]) };
}

/** ||a - b||_F / ||b||_F. */
const relError = (a: ArrayLike<number>, b: ArrayLike<number>): number => kernelDrift(b, a);

describe('structured empirical NTK (X X^T) .* (S S^T) / m', () => {
  const n = 12, d = 6, m = 256;
  const x = unitPoints(n, d, 1);
  const w = createRng(3).fillNormal(new Float32Array(m * d));
  const a = Float32Array.from({ length: m }, (_, r) => (r % 2 === 0 ? 1 : -1));

  for (const trainLayers of ['first', 'both'] as const) {
    it(`equals the per-example-gradient NTK of the same network within 1e-5 relative (${trainLayers} layer(s))`, async () => {
      const model = layersModel(twoLayerStudentLayers({ width: m, trainLayers }));
      const params = studentParams(w, a, m, d, 1);
      const byGrad = gradientNtk(model, params, x, { inputDim: d });
      const structured = await expectNoTensorLeak(() => structuredNtk(x, null, w, { inputDim: d, trainLayers }), 'structuredNtk');
      tf.dispose(Object.values(params));
      expect(byGrad.rows).toBe(n);
      const err = relError(structured.data, byGrad.data); // measured 2.5e-8 (first), 2.4e-8 to 1.0e-7 (both)
      expect(err).toBeLessThan(1e-5);
      let worst = 0;
      for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(structured.data[i] - byGrad.data[i]) / Math.abs(byGrad.data[i] || 1));
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('blocking over neurons and rows changes nothing; test-train blocks are rows of the joint Gram', () => {
    // Co-activation counts are integers: blocking is exact for the first-layer NTK; the relu term
    // of the second layer is summed in float32 within a block, so it moves at the 1e-6 level.
    const whole = structuredNtk(x, null, w, { inputDim: d }).data;
    const blocked = structuredNtk(x, null, w, { inputDim: d, neuronBlock: 37, rowBlock: 5 }).data;
    expect(Array.from(blocked)).toEqual(Array.from(whole));
    const wholeBoth = structuredNtk(x, null, w, { inputDim: d, trainLayers: 'both' }).data;
    const blockedBoth = structuredNtk(x, null, w, { inputDim: d, trainLayers: 'both', neuronBlock: 37, rowBlock: 5 }).data;
    for (let i = 0; i < whole.length; i++) expect(Math.abs(blockedBoth[i] - wholeBoth[i])).toBeLessThan(1e-5 * Math.abs(wholeBoth[i]));
    const cross = structuredNtk(x.subarray(0, 4 * d), x.subarray(4 * d), w, { inputDim: d, neuronBlock: 50 });
    const joint = structuredNtk(x, null, w, { inputDim: d }).data;
    for (let i = 0; i < 4; i++) for (let j = 0; j < n - 4; j++) expect(cross.data[i * (n - 4) + j]).toBe(joint[i * n + 4 + j]);
  });

  it('for K outputs the per-example-gradient NTK is block-diagonal in expectation: its diagonal blocks are the structured H', () => {
    const K = 2;
    const aK = Float32Array.from({ length: m * K }, (_, i) => (((i * 7919) >> 3) % 2 === 0 ? 1 : -1));
    const model = layersModel(twoLayerStudentLayers({ width: m, outputs: K }));
    const params = studentParams(w, aK, m, d, K);
    const byGrad = gradientNtk(model, params, x.subarray(0, 5 * d), { inputDim: d });
    tf.dispose(Object.values(params));
    const H = structuredNtk(x.subarray(0, 5 * d), null, w, { inputDim: d }).data;
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        for (let k = 0; k < K; k++) expect(Math.abs(byGrad.data[(i * K + k) * 5 * K + j * K + k] - H[i * 5 + j])).toBeLessThan(1e-5 * Math.abs(H[i * 5 + j]) + 1e-7);
      }
    }
  });

  it('H(W(0)) approaches Hinf like 1/sqrt(m): log-log slope over m = 1k, 4k, 16k, 64k in [-0.6, -0.4]', () => {
    const nn = 30, dd = 10;
    const xs = unitPoints(nn, dd, 9);
    const Hinf = hinf(xs, null, { inputDim: dd, onWarning: quiet }).data;
    const widths = [1024, 4096, 16384, 65536];
    const errs = widths.map((mm) => {
      const wm = createRng(100 + mm).fillNormal(new Float32Array(mm * dd));
      return kernelDrift(Hinf, structuredNtk(xs, null, wm, { inputDim: dd }).data);
    });
    const lx = widths.map(Math.log);
    const ly = errs.map(Math.log);
    const mx = lx.reduce((p, v) => p + v, 0) / 4;
    const my = ly.reduce((p, v) => p + v, 0) / 4;
    const slope = lx.reduce((p, v, i) => p + (v - mx) * (ly[i] - my), 0) / lx.reduce((p, v) => p + (v - mx) ** 2, 0);
    expect(slope).toBeGreaterThan(-0.6); // measured -0.499
    expect(slope).toBeLessThan(-0.4);
    expect(errs[3]).toBeLessThan(errs[0]);
  });

  it('kernel drift is 0 for equal weights and the relative Frobenius distance otherwise', () => {
    expect(kernelDriftFromWeights(x, w, w, { inputDim: d }).drift).toBe(0);
    const moved = w.map((v, i) => v + (i % 5 === 0 ? 0.3 : 0));
    const r = kernelDriftFromWeights(x, w, moved, { inputDim: d });
    expect(r.drift).toBeGreaterThan(0);
    expect(r.drift).toBeCloseTo(relError(r.hk, r.h0), 14);
    expect(kernelDrift([1, 0, 0, 1], [1, 0, 0, 2])).toBeCloseTo(1 / Math.SQRT2, 15);
  });

  it('accepts tensors for X and W, and refuses an over-budget Gram up front', () => {
    const xt = tf.tensor2d(Float32Array.from(x), [n, d]);
    const wt = tf.tensor2d(w, [m, d]);
    const fromTensors = structuredNtk(xt, null, wt, { inputDim: d }).data;
    const fromArrays = structuredNtk(Float32Array.from(x), null, w, { inputDim: d }).data;
    tf.dispose([xt, wt]);
    expect(Array.from(fromTensors)).toEqual(Array.from(fromArrays));
    expect(() => structuredNtk(new Float32Array(1000 * d), null, w, { inputDim: d, memoryBudgetBytes: 1e6, onWarning: quiet })).toThrow(OutOfMemoryBudgetError);
    const seen: NtkWarning[] = [];
    structuredNtk(x.map((v) => 3 * v), null, w, { inputDim: d, onWarning: (e) => seen.push(e) });
    expect(seen[0]?.code).toBe('PIKT_NTK_NOT_UNIT_NORM');
    expect(seen[0]?.details.minNorm).toBeCloseTo(3, 5);
  });
});

describe('structuredNtkAsync (await data() for GPU backends)', () => {
  it('gives exactly the synchronous result, blocked, with tensor inputs and both layers, and leaks nothing', async () => {
    const n = 9, d = 5, m = 70;
    const x = unitPoints(n, d, 4);
    const w = createRng(5).fillNormal(new Float32Array(m * d));
    const xT = tf.tensor2d(Float32Array.from(x), [n, d]);
    const opts = { inputDim: d, trainLayers: 'both' as const, neuronBlock: 16, rowBlock: 4, onWarning: quiet };
    const sync = structuredNtk(xT, null, w, opts);
    const asyncResult = await expectNoTensorLeak(() => structuredNtkAsync(xT, null, w, opts), 'structuredNtkAsync');
    xT.dispose();
    expect(asyncResult.rows).toBe(n);
    expect(Array.from(asyncResult.data)).toEqual(Array.from(sync.data));
    const w2 = w.map((v, i) => v + 0.01 * Math.sin(i));
    const a = kernelDriftFromWeights(x, w, w2, { inputDim: d, onWarning: quiet });
    const b = await kernelDriftFromWeightsAsync(x, w, w2, { inputDim: d, onWarning: quiet });
    expect(b.drift).toBe(a.drift);
    expect(b.drift).toBeGreaterThan(0);
  });
});
