import { OutOfMemoryBudgetError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { twoLayerNtk } from '../kernels/analytic-kernel.js';
import { unitPoints } from '../testing/fixtures.js';
import { createBlockGram } from './block-gram.js';
import { twoLayerBlockGram } from './gram-builders.js';
import { buildTwoLayerBlockGram } from './two-layer-fill.js';
import { applyOne, denseOperator, matrixWithSpectrum } from '@pikt/linalg';

const quiet = (): void => {};

function fromDense(a: Float64Array, n: number) {
  return (i0: number, i1: number, j0: number, j1: number, out: Float32Array, ld: number) => {
    for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[(i - i0) * ld + (j - j0)] = a[i * n + j];
  };
}

describe('float32 block Gram (lower-triangular blocks in linear memory)', () => {
  const n = 37;
  const A = matrixWithSpectrum(Float64Array.from({ length: n }, (_, i) => 1 / (1 + i)), 4);
  const A32 = A.map((v) => Math.fround(v));

  for (const [blockSize, shardBytes] of [[8, undefined], [37, undefined], [5, 3000], [64, undefined]] as const) {
    it(`products match the dense float32-rounded matrix (block ${blockSize}${shardBytes ? ', small shards' : ''}) for 1 to 7 vectors`, () => {
      const g = createBlockGram(n, fromDense(A, n), { blockSize, shardBytes });
      if (shardBytes) expect(g.shardCount).toBeGreaterThan(1);
      const ref = denseOperator(A32);
      for (const count of [1, 2, 3, 4, 5, 7]) {
        const xs = Array.from({ length: count }, (_, v) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * (v + 1))));
        const ys = xs.map(() => new Float64Array(n).fill(99));
        g.apply(xs, ys);
        xs.forEach((x, v) => {
          const y = applyOne(ref, x);
          for (let i = 0; i < n; i++) expect(Math.abs(ys[v][i] - y[i])).toBeLessThan(1e-13);
        });
      }
      expect(g.get(3, 30)).toBe(A32[3 * n + 30]);
      expect(g.get(30, 3)).toBe(A32[30 * n + 3]);
      expect(Array.from(g.diagonal())).toEqual(Array.from({ length: n }, (_, i) => A32[i * n + i]));
      expect(Array.from(g.toDense())).toEqual(Array.from(A32));
    });
  }

  it('with two threads (a worker on shared memories) the products are the same', async () => {
    const g = createBlockGram(n, fromDense(A, n), { blockSize: 6, threads: 2, shardBytes: 4000 });
    expect(g.shardCount).toBeGreaterThan(1);
    const xs = Array.from({ length: 7 }, (_, v) => Float64Array.from({ length: n }, (_, i) => Math.cos(i + v)));
    const single = xs.map(() => new Float64Array(n));
    g.apply(xs, single);
    expect(await g.startThreads()).toBe(2);
    const multi = xs.map(() => new Float64Array(n));
    for (let rep = 0; rep < 3; rep++) g.apply(xs, multi);
    await g.dispose();
    xs.forEach((_, v) => {
      for (let i = 0; i < n; i++) expect(Math.abs(multi[v][i] - single[v][i])).toBeLessThan(1e-13);
    });
    const after = xs.map(() => new Float64Array(n));
    g.apply(xs, after);
    expect(Array.from(after[3])).toEqual(Array.from(single[3]));
  });

  it('refuses a store above the budget up front, with the bytes it needs', () => {
    let err: unknown;
    try {
      createBlockGram(50_000, () => { throw new Error('must not be called'); }, { memoryBudgetBytes: 1e9 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutOfMemoryBudgetError);
    expect((err as OutOfMemoryBudgetError).bytesNeeded).toBeGreaterThan(4 * 50_000 * 50_000 / 2);
    expect((err as Error).message).toMatch(/block Gram \(50000 x 50000/);
  });

  it('twoLayerBlockGram equals twoLayerNtk rounded to float32 (both train modes)', () => {
    const d = 7;
    const x = unitPoints(45, d, 8);
    for (const trainLayers of ['first', 'both'] as const) {
      const g = twoLayerBlockGram(x, { inputDim: d, trainLayers, kappa: 0.8, blockSize: 16, onWarning: quiet });
      const ref = twoLayerNtk(x, null, { inputDim: d, trainLayers, kappa: 0.8, onWarning: quiet }).data;
      const dense = g.toDense();
      for (let i = 0; i < ref.length; i++) expect(dense[i]).toBe(Math.fround(ref[i]));
    }
  });
});

describe('buildTwoLayerBlockGram (f32 SIMD tiles, parallel fill)', () => {
  const d = 13;
  const n = 43;
  const x = unitPoints(n, d, 12).map((v, i) => (i < d ? 2 * v : v)); // one non-unit row
  for (const threads of [1, 2]) {
    for (const trainLayers of ['first', 'both'] as const) {
      it(`equals twoLayerNtk to float32 precision (${threads} thread(s), ${trainLayers})`, async () => {
        const g = await buildTwoLayerBlockGram(x, { inputDim: d, blockSize: 8, threads, trainLayers, kappa: 1.3, shardBytes: threads > 1 ? 6000 : undefined, onWarning: quiet });
        const ref = twoLayerNtk(x, null, { inputDim: d, trainLayers, kappa: 1.3, onWarning: quiet }).data;
        const dense = g.toDense();
        for (let i = 0; i < ref.length; i++) expect(Math.abs(dense[i] - ref[i])).toBeLessThan(2e-6 * (1 + Math.abs(ref[i])));
        for (let i = 0; i < n; i++) expect(dense[i * n + i]).toBe(Math.fround(ref[i * n + i]));
        const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
        const y1 = applyOne(g, v);
        const y2 = applyOne(denseOperator(dense), v);
        for (let i = 0; i < n; i++) expect(Math.abs(y1[i] - y2[i])).toBeLessThan(1e-12);
        await g.dispose();
      });
    }
  }

  it('stays right above 2 GiB in a shard, where byte offsets overflow int32 (fill and products on 2 threads)', async () => {
    const g = await buildTwoLayerBlockGram(x, { inputDim: d, blockSize: 8, threads: 2, leadingBytes: 2 ** 31 + 4096, onWarning: quiet });
    const ref = twoLayerNtk(x, null, { inputDim: d, onWarning: quiet }).data;
    const dense = g.toDense();
    for (let i = 0; i < ref.length; i++) expect(Math.abs(dense[i] - ref[i])).toBeLessThan(2e-6 * (1 + Math.abs(ref[i])));
    const v = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const y1 = applyOne(g, v);
    const y2 = applyOne(denseOperator(dense), v);
    for (let i = 0; i < n; i++) expect(Math.abs(y1[i] - y2[i])).toBeLessThan(1e-12);
    await g.dispose();
  });

  // 8-bit pixels with rowScales 'unit': exact int32 inner products (int16 tiles), so the stored
  // entries are the float64 kernel of the unit-norm points rounded once to float32.
  const pixels = Uint8Array.from({ length: n * d }, (_, t) => (t % 7 === 0 || t % 5 === 1 ? (t * 37) % 256 : 0));
  const unit = Float64Array.from(pixels, (v, t) => {
    const i = Math.floor(t / d);
    let q = 0;
    for (let j = 0; j < d; j++) q += pixels[i * d + j] ** 2;
    return v / Math.sqrt(q);
  });
  for (const threads of [1, 2]) {
    for (const trainLayers of ['first', 'both'] as const) {
      it(`integer points take the exact int16 tiles (${threads} thread(s), ${trainLayers}): float64 kernel rounded once`, async () => {
        const g = await buildTwoLayerBlockGram(pixels, { inputDim: d, rowScales: 'unit', blockSize: 8, threads, trainLayers, kappa: 1.3, shardBytes: threads > 1 ? 6000 : undefined, onWarning: quiet });
        expect(g.storage).toMatch(/exact integer inner products \(int16 tiles\)$/);
        const ref = twoLayerNtk(unit, null, { inputDim: d, trainLayers, kappa: 1.3, onWarning: quiet }).data;
        const dense = g.toDense();
        // Float32 storage (2^-24 relative) plus the float64 arithmetic; the float32 tiles above need 2e-6.
        for (let i = 0; i < ref.length; i++) expect(Math.abs(dense[i] - ref[i])).toBeLessThanOrEqual(2 ** -24 * Math.abs(ref[i]) + 1e-12);
        await g.dispose();
      });
    }
  }

  it("rowScales scale the float32 tiles' points too, and tiles 'float32' skips the integer path", async () => {
    const scales = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 3));
    const scaled = Float64Array.from(x, (v, t) => v * scales[Math.floor(t / d)]);
    const g = await buildTwoLayerBlockGram(x, { inputDim: d, rowScales: scales, blockSize: 8, onWarning: quiet });
    expect(g.storage).not.toMatch(/integer/);
    const ref = twoLayerNtk(scaled, null, { inputDim: d, onWarning: quiet }).data;
    const dense = g.toDense();
    for (let i = 0; i < ref.length; i++) expect(Math.abs(dense[i] - ref[i])).toBeLessThan(2e-6 * (1 + Math.abs(ref[i])));
    const f = await buildTwoLayerBlockGram(pixels, { inputDim: d, rowScales: 'unit', tiles: 'float32', blockSize: 8, onWarning: quiet });
    expect(f.storage).not.toMatch(/integer/);
    const refUnit = twoLayerNtk(unit, null, { inputDim: d, onWarning: quiet }).data;
    const fd = f.toDense();
    for (let i = 0; i < refUnit.length; i++) expect(Math.abs(fd[i] - refUnit[i])).toBeLessThan(2e-6 * (1 + Math.abs(refUnit[i])));
  });

  it("refuses tiles 'int16' for non-integer points and rowScales of the wrong length", async () => {
    await expect(buildTwoLayerBlockGram(x, { inputDim: d, tiles: 'int16', onWarning: quiet })).rejects.toThrow(/tiles 'int16' needs integer coordinates/);
    const big = Int16Array.from(pixels, (v) => v * 128); // d max^2 = 13 * 32640^2 > 2^31
    await expect(buildTwoLayerBlockGram(big, { inputDim: d, tiles: 'int16', onWarning: quiet })).rejects.toThrow(/d max\|c\|\^2 < 2\^31 \(d = 13\)/);
    await expect(buildTwoLayerBlockGram(pixels, { inputDim: d, rowScales: [1, 2], onWarning: quiet })).rejects.toThrow(/rowScales.*one number per point \(43\)/);
    await expect(buildTwoLayerBlockGram(pixels, { inputDim: d, rowScales: Array(n).fill(Number.NaN), onWarning: quiet })).rejects.toThrow(/rowScales/);
  });

  it('refuses a block size that is not a multiple of 4', async () => {
    await expect(buildTwoLayerBlockGram(x, { inputDim: d, blockSize: 6, onWarning: quiet })).rejects.toThrow(/multiple of 4/);
  });
});
