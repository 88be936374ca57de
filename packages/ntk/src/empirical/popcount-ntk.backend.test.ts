import * as tf from '@tensorflow/tfjs-core';
import { createRng, InvalidOptionError, OutOfMemoryBudgetError, ShapeMismatchError } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { unitPoints } from '../testing/fixtures.js';
import { createKernelDriftTracker } from './drift-tracker.js';
import { kernelDrift } from './kernel-drift.js';
import { structuredNtk, structuredNtkAsync } from './structured-ntk.js';
import { hostReader, SyncReadUnavailableError } from './sync-read.js';

const quiet = (): void => {};
const n = 40, nc = 25, d = 8, m = 300; // m not a multiple of 32

/** Float64 pre-activations z_ir = x_i . w_r of float32-rounded inputs (what the tfjs GEMM sees). */
function preacts(x: ArrayLike<number>, w: Float32Array, rows: number): Float64Array {
  const z = new Float64Array(rows * m);
  for (let i = 0; i < rows; i++) {
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Math.fround(x[i * d + k]) * w[r * d + k];
      z[i * m + r] = s;
    }
  }
  return z;
}

/** Independent float64 reference: H_ij = (x_i . y_j) C_ij / m [+ R_ij / m], C_ij = sum_r 1{z_ir >= 0} 1{z'_jr >= 0}. */
function reference(x: Float64Array, y: Float64Array, w: Float32Array, rows: number, cols: number, both: boolean): { h: Float64Array; counts: Float64Array } {
  const zx = preacts(x, w, rows), zy = preacts(y, w, cols);
  const h = new Float64Array(rows * cols), counts = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let g = 0, c = 0, rel = 0;
      for (let k = 0; k < d; k++) g += x[i * d + k] * y[j * d + k];
      for (let r = 0; r < m; r++) {
        const a = zx[i * m + r], b = zy[j * m + r];
        c += (a >= 0 ? 1 : 0) * (b >= 0 ? 1 : 0);
        rel += Math.max(a, 0) * Math.max(b, 0);
      }
      counts[i * cols + j] = c;
      h[i * cols + j] = (g * c + (both ? rel : 0)) / m;
    }
  }
  return { h, counts };
}

const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-300));
  return worst;
};

describe('structured NTK by popcount of packed activation patterns', () => {
  const x = unitPoints(n, d, 11);
  const y = unitPoints(nc, d, 12);
  const w = createRng(13).fillNormal(new Float32Array(m * d));

  it('the fixture keeps every pre-activation away from 0, so float32 and float64 signs agree', () => {
    const z = [...preacts(x, w, n), ...preacts(y, w, nc)].map(Math.abs);
    expect(Math.min(...z)).toBeGreaterThan(1e-5); // float32 GEMM error here is ~1e-6
  });

  it('rectangular x vs y: within 1e-12 of the float64 reference, so every count is the exact integer', async () => {
    const ref = reference(x, y, w, n, nc, false);
    const h = await expectNoTensorLeak(() => structuredNtkAsync(x, y, w, { inputDim: d, neuronBlock: 45, rowBlock: 7 }), 'structuredNtkAsync');
    expect(h.rows).toBe(n);
    expect(h.cols).toBe(nc);
    // One count off would move an entry by >= 1/m = 3e-3 relative.
    expect(maxRel(h.data, ref.h)).toBeLessThan(1e-12);
    const recovered = Array.from(h.data, (v, k) => Math.round((v * m) / (ref.h[k] * m / ref.counts[k] || 1)));
    expect(recovered.filter((c, k) => ref.counts[k] > 0 && c !== ref.counts[k])).toEqual([]);
  });

  it('symmetric train-train Gram from the lower triangle: exactly symmetric, within 1e-12 of the reference', () => {
    const ref = reference(x, x, w, n, n, false);
    const h = structuredNtk(x, null, w, { inputDim: d });
    expect(maxRel(h.data, ref.h)).toBeLessThan(1e-12);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(h.data[i * n + j]).toBe(h.data[j * n + i]);
  });

  it('both layers: the relu term (float32 GEMM over 64-neuron blocks, float64 sum) within float32 accuracy of the reference', () => {
    const ref = reference(x, y, w, n, nc, true);
    const h = structuredNtk(x, y, w, { inputDim: d, trainLayers: 'both', neuronBlock: 64 });
    // Float32 products summed over a block: ~sqrt(64) 2^-24 relative to the sum of |terms|; entries
    // near zero (x_i . y_j < 0 against a positive relu term) have no relative bound, so the scale is max |H|.
    const scale = Math.max(...Array.from(ref.h, Math.abs));
    let worst = 0;
    for (let k = 0; k < ref.h.length; k++) worst = Math.max(worst, Math.abs(h.data[k] - ref.h[k]) / scale);
    expect(worst).toBeLessThan(1e-6);
    expect(kernelDrift(ref.h, h.data)).toBeLessThan(1e-6);
  });

  it('keeps every tensor under blockElements: the peak is far below one n x m float32 matrix', async () => {
    const opts = { inputDim: d, blockElements: 2000 };
    const prof = await tf.profile(() => { structuredNtk(x, y, w, opts); });
    // Live at once: X and Y (n d + nc d), one W^T block and its source (2 x 32 d), one Z block (<= 2000).
    expect(prof.peakBytes).toBeLessThanOrEqual(4 * ((n + nc) * d + 2 * 32 * d + 2000));
    expect(prof.peakBytes).toBeLessThan((4 * n * m) / 4);
  });

  it('the SIMD, scalar-wasm and JS popcount kernels give identical Grams', () => {
    const [simd, scalar, js] = (['wasm-simd', 'wasm-scalar', 'js'] as const).map((k) => Array.from(structuredNtk(x, y, w, { inputDim: d, popcountKernel: k }).data));
    expect(scalar).toEqual(simd);
    expect(js).toEqual(simd);
  });

  it('refuses packed patterns over the memory budget before any GEMM, and the sync path on webgpu (webgl: once said)', () => {
    const wide = new Float32Array(200_000 * d);
    expect(() => structuredNtk(x, null, wide, { inputDim: d, memoryBudgetBytes: 5e5 })).toThrow(OutOfMemoryBudgetError);
    expect(tf.memory().numTensors).toBe(0);
    expect(() => hostReader('structuredNtk', 'structuredNtkAsync', 'webgpu')).toThrow(SyncReadUnavailableError);
    expect(() => hostReader('structuredNtk', 'structuredNtkAsync', 'webgpu')).toThrow(
      'structuredNtk reads tensors synchronously, which backend "webgpu" cannot do (a GPU readback is asynchronous). '
      + 'Call structuredNtkAsync (it reads with await data()), or run on the cpu or wasm backend.');
    const said: string[] = [];
    for (let k = 0; k < 2; k++) hostReader('structuredNtk', 'structuredNtkAsync', 'webgl', (s) => said.push(s));
    hostReader('structuredNtk', 'structuredNtkAsync', 'wasm', (s) => said.push(s));
    expect(said).toEqual(['@pikt/ntk: structuredNtk reads synchronously on backend "webgl", which stalls on every GPU readback; structuredNtkAsync gives the same result with await data().']);
  });
});

describe('kernel drift tracker: H(W(k)) from the step\'s own patterns, no GEMM', () => {
  const x = unitPoints(n, d, 21);
  const w0 = createRng(22).fillNormal(new Float32Array(m * d));
  const wk = w0.map((v, i) => v + 0.2 * Math.sin(i));
  const opts = { inputDim: d, onWarning: quiet };

  it('h0 is structuredNtk at W(0); drift from pre-activations, a mask, tensors and weights all equal the direct drift', async () => {
    const direct = kernelDrift(structuredNtk(x, null, w0, opts).data, structuredNtk(x, null, wk, opts).data);
    expect(direct).toBeGreaterThan(0.01);
    const t = await expectNoTensorLeak(async () => {
      const tracker = await createKernelDriftTracker(x, w0, opts);
      const zk = preacts(x, wk, n);
      const mask = Uint8Array.from(zk, (v) => (v > 0 ? 1 : 0));
      const zT = tf.tensor2d(Float32Array.from(zk), [n, m]);
      const bT = tf.tensor2d(Int32Array.from(mask), [n, m], 'bool');
      const fromTensor = await tracker.fromTensor(zT);
      const fromBool = await tracker.fromTensor(bT as tf.Tensor2D);
      const parts = [tf.slice(bT, [0, 0], [n, 100]), tf.slice(zT, [0, 100], [n, 77]), tf.slice(bT, [0, 177], [n, m - 177])] as tf.Tensor2D[];
      const fromBlocks = await tracker.fromTensorBlocks(parts);
      await expect(tracker.fromTensorBlocks(parts.slice(1))).rejects.toThrow(ShapeMismatchError);
      // As the wide student's forward keeps them: float32 step masks 1{W_b X^T > 0}, [b, n] per block.
      const stepT = tf.tidy(() => tf.transpose(tf.step(zT)));
      const studentBlocks = [tf.slice(stepT, [0, 0], [128, n]), tf.slice(stepT, [128, 0], [m - 128, n])] as tf.Tensor2D[];
      const fromStudent = await tracker.fromTensorBlocks(studentBlocks, { layout: 'neurons-major', values: 'mask' });
      tf.dispose([stepT, ...studentBlocks]);
      tf.dispose([zT, bT, ...parts]);
      return { tracker, zk, mask, fromTensor, fromBool, fromBlocks, fromStudent, fromWeights: await tracker.fromWeights(wk), again: await tracker.fromWeights(w0) };
    }, 'createKernelDriftTracker');
    expect(Array.from(t.tracker.h0)).toEqual(Array.from(structuredNtk(x, null, w0, opts).data));
    for (const v of [t.tracker.fromPreactivations(t.zk), t.tracker.fromMask(t.mask), t.fromTensor, t.fromBool, t.fromBlocks, t.fromStudent, t.fromWeights]) {
      expect(Math.abs(v - direct)).toBeLessThan(1e-12 * direct);
    }
    expect(t.again).toBe(0);
  });

  it('a sequence of student masks (few flips: updated from them; many: recounted) gives the popcount drift of each, exactly', async () => {
    const tracker = await createKernelDriftTracker(x, w0, opts);
    const reference = await createKernelDriftTracker(x, w0, opts);
    let last = Uint8Array.from(preacts(x, w0, n), (v) => (v >= 0 ? 1 : 0));
    const flipCounts: number[] = [];
    await expectNoTensorLeak(async () => {
      for (const eps of [1e-3, 3e-3, 0.3, 2e-3, 0, 1, 1e-3]) {
        const mask = Uint8Array.from(preacts(x, w0.map((v, i) => v + eps * Math.sin(3 * i)), n), (v) => (v > 0 ? 1 : 0));
        flipCounts.push(mask.reduce((f, b, k) => f + (b ^ last[k]), 0));
        last = mask;
        const stepT = tf.tidy(() => tf.transpose(tf.tensor2d(Float32Array.from(mask), [n, m])));
        const blocks = [tf.slice(stepT, [0, 0], [96, n]), tf.slice(stepT, [96, 0], [m - 96, n])] as tf.Tensor2D[];
        const got = await tracker.fromTensorBlocks(blocks, { layout: 'neurons-major', values: 'mask' });
        tf.dispose([stepT, ...blocks]);
        const want = reference.fromMask(mask);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * want);
      }
    }, 'drift from a sequence of masks');
    // Both paths ran: up to n m / 128 = 93 flips are applied one by one, more are recounted.
    expect(flipCounts.some((f) => f > 0 && f <= (n * m) / 128)).toBe(true);
    expect(flipCounts.some((f) => f > (n * m) / 128)).toBe(true);
  });

  it("refuses 'both' layers and patterns of the wrong shape", async () => {
    await expect(createKernelDriftTracker(x, w0, { ...opts, trainLayers: 'both' })).rejects.toThrow(InvalidOptionError);
    const tracker = await createKernelDriftTracker(x, w0, opts);
    expect(() => tracker.fromPreactivations(new Float32Array(n * (m - 1)))).toThrow(ShapeMismatchError);
    await expect(tracker.fromWeights(new Float32Array((m + 1) * d))).rejects.toThrow(ShapeMismatchError);
  });
});
