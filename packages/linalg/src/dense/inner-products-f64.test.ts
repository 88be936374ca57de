import { createRng } from '@pikt/core';
import { describe, expect, it, vi } from 'vitest';
import { innerProductsF64 } from './inner-products-f64.js';

/** Naive float64 A B^T and sum_k |a_k b_k|. */
function naive(a: Float64Array, b: Float64Array, d: number) {
  const na = a.length / d, nb = b.length / d;
  const g = new Float64Array(na * nb), abs = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb; j++) {
      let s = 0, m = 0;
      for (let k = 0; k < d; k++) { s += a[i * d + k] * b[j * d + k]; m += Math.abs(a[i * d + k] * b[j * d + k]); }
      g[i * nb + j] = s;
      abs[i * nb + j] = m;
    }
  }
  return { g, abs };
}

const points = (n: number, d: number, seed: number) => createRng(seed).fillNormal(new Float64Array(n * d));

describe('innerProductsF64 (f64x2 register tiles, worker threads)', () => {
  for (const [na, nb, d] of [[1, 1, 1], [7, 5, 3], [37, 37, 29], [50, 23, 64]] as const) {
    it(`${na} x ${nb}, d = ${d}: within d 2^-53 sum |a_k b_k| of the naive product (relative 1e-12 at worst here)`, () => {
      const a = points(na, d, na + d), b = na === nb ? a : points(nb, d, nb + 1);
      const ref = naive(a, b, d);
      const g = innerProductsF64(a, na === nb ? null : b, { inputDim: d });
      for (let k = 0; k < g.length; k++) {
        expect(Math.abs(g[k] - ref.g[k])).toBeLessThanOrEqual(d * 2 ** -53 * ref.abs[k]);
        expect(Math.abs(g[k] - ref.g[k])).toBeLessThanOrEqual(1e-12 * ref.abs[k]);
      }
      if (na === nb) for (let i = 0; i < na; i++) for (let j = 0; j < i; j++) expect(g[j * na + i]).toBe(g[i * na + j]);
    });
  }

  it('two and three threads give the same bits as one; lowerOnly leaves the upper triangle zero', () => {
    const d = 31, n = 203;
    const x = points(n, d, 3);
    const one = innerProductsF64(x, null, { inputDim: d });
    expect(Array.from(innerProductsF64(x, null, { inputDim: d, threads: 2 }))).toEqual(Array.from(one));
    expect(Array.from(innerProductsF64(x, null, { inputDim: d, threads: 3 }))).toEqual(Array.from(one));
    const y = points(50, d, 4);
    expect(Array.from(innerProductsF64(x, y, { inputDim: d, threads: 2 }))).toEqual(Array.from(innerProductsF64(x, y, { inputDim: d })));
    const low = innerProductsF64(x, null, { inputDim: d, lowerOnly: true, threads: 2 });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) expect(low[i * n + j]).toBe(j <= i ? one[i * n + j] : 0);
    }
  });

  it('matches the JS kernels bit for bit (same summation order)', async () => {
    const { createWorkspace } = await import('../wasm/workspace.js');
    const js = createWorkspace(1 << 16, 'js');
    const w = createWorkspace(1 << 16);
    const G = 32 * 4, p = 16;
    const f = points(8 * 4, 1, 9);
    js.f64(p, 32).set(f);
    w.f64(p, 32).set(f);
    for (const ws of [js, w]) ws.k.gramTilesF64(p, p, 2, G, 1024, 2048);
    expect(Array.from(w.f64(1024, 8))).toEqual(Array.from(js.f64(1024, 8)));
    expect(Array.from(w.f64(2048, 8))).toEqual(Array.from(js.f64(2048, 8)));
  });

  it('runs on one thread where SharedArrayBuffer is missing (browsers without cross-origin isolation)', () => {
    const d = 9, x = points(30, d, 5);
    const want = Array.from(innerProductsF64(x, null, { inputDim: d }));
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      expect(Array.from(innerProductsF64(x, null, { inputDim: d, threads: 1 }))).toEqual(want);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
