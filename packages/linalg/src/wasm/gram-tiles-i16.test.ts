import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { createWorkspace } from './workspace.js';

// The integer tiles (gramTilesI16) and their transform (arcCosRowI32): exact int32 inner products
// of int16 4-row panels, then g = (c_i . c_j) s_i s_j through the arc-cosine kernel.
describe('gramTilesI16 and arcCosRowI32 (exact integer inner products)', () => {
  const d = 37; // not a multiple of 8: the panel's zero padding takes part
  const rows = 12;
  const d8 = Math.ceil(d / 8) * 8;
  const G = 8 * d8;
  const rng = createRng(11);
  // 8-bit pixels, mostly zero like MNIST, plus the extremes 0 and 255 in whole rows; rows 6-11
  // have a blank border (coordinates 10-29 only), so their pairs have all-zero chunks.
  const c = Int16Array.from({ length: rows * d }, (_, t) => {
    const i = Math.floor(t / d), j = t % d;
    if (i >= 6 && (j < 10 || j >= 30)) return 0;
    return i === 0 ? 255 : rng.uniform() < 0.4 ? Math.floor(256 * rng.uniform()) : 0;
  });
  const dotExact = (i: number, j: number) => { let s = 0; for (let k = 0; k < d; k++) s += c[i * d + k] * c[j * d + k]; return s; };

  const chunks = d8 / 8;
  /** Row pair p's chunks: all of them, or only those where the pair is not all zero. */
  const listOf = (p: number, skipZero: boolean): number[] => Array.from({ length: chunks }, (_, k) => k).filter((k) => {
    if (!skipZero) return true;
    for (let i = 2 * p; i < 2 * p + 2; i++) for (let j = 8 * k; j < Math.min(d, 8 * k + 8); j++) if (c[i * d + j] !== 0) return true;
    return false;
  }).map((k) => 64 * k);
  const tiles = (prefer: 'auto' | 'js', skipZero: boolean) => {
    const ws = createWorkspace(G * (rows / 4) + 4 * rows * rows + 4 * rows * chunks + 4096, prefer);
    const panel = ws.alloc(G * (rows / 4));
    const out = ws.alloc(4 * rows * rows);
    const pList = ws.alloc(4 * chunks);
    const h = new Int16Array(ws.buffer, panel, (G * rows) / 8);
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) h[((i >> 2) * G + 16 * (i & 3)) / 2 + 32 * (j >> 3) + (j & 7)] = c[i * d + j];
    let listed = 0;
    for (let i = 0; i < rows; i += 2) {
      const list = listOf(i >> 1, skipZero);
      listed += list.length;
      new Int32Array(ws.buffer, pList, chunks).set(list);
      ws.k.gramTilesI16(panel + (i >> 2) * G + 32 * ((i & 3) >> 1), panel, rows / 4, G, out + 4 * i * rows, out + 4 * (i + 1) * rows, pList, list.length);
    }
    return { kind: ws.kind, listed, g: Int32Array.from(new Int32Array(ws.buffer, out, rows * rows)) };
  };

  for (const skipZero of [false, true]) {
    it(`gives every c_i . c_j exactly, in wasm and in the JS fallback (${skipZero ? 'only the nonzero chunks listed' : 'every chunk listed'})`, () => {
      const wasm = tiles('auto', skipZero);
      const js = tiles('js', skipZero);
      expect(wasm.kind).toBe('wasm-simd');
      expect(js.kind).toBe('js');
      for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) expect(wasm.g[i * rows + j]).toBe(dotExact(i, j));
      expect(Array.from(js.g)).toEqual(Array.from(wasm.g));
      expect(wasm.g[0]).toBe(d * 255 * 255); // the all-255 row with itself
      // The blank borders: chunks 0 and 4 of pairs 3-5 are skipped, and that changes no sum.
      if (skipZero) expect(wasm.listed).toBe((rows / 2) * chunks - 3 * 2);
    });
  }

  it('an empty list gives zeros (a pair of zero rows)', () => {
    const ws = createWorkspace(4096);
    const out = ws.alloc(32);
    new Int32Array(ws.buffer, out, 8).fill(7);
    ws.k.gramTilesI16(ws.alloc(64), ws.alloc(64), 1, 64, out, out + 16, ws.alloc(16), 0);
    expect(Array.from(new Int32Array(ws.buffer, out, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('arcCosRowI32 equals arcCosRowF32 on g = (c_i . c_j) s_i s_j, and the JS fallback bit for bit', () => {
    const scales = Float64Array.from({ length: rows }, (_, i) => 1 / Math.sqrt(Math.max(1, dotExact(i, i))));
    const norms = Float64Array.from({ length: rows }, (_, i) => scales[i] * Math.sqrt(dotExact(i, i)));
    const i = 3;
    const g = Int32Array.from({ length: rows }, (_, j) => dotExact(i, j));
    const run = (prefer: 'auto' | 'js', k2: number, ints: boolean) => {
      const ws = createWorkspace(64 * rows + 4096, prefer);
      const p = ws.alloc(4 * rows), pn = ws.alloc(8 * rows), ps = ws.alloc(8 * rows);
      ws.f64(pn, rows).set(norms);
      ws.f64(ps, rows).set(scales);
      if (ints) {
        new Int32Array(ws.buffer, p, rows).set(g);
        ws.k.arcCosRowI32(p, rows, norms[i], pn, k2, scales[i], ps);
      } else {
        ws.f32(p, rows).set(Array.from(g, (v, j) => v * scales[i] * scales[j]));
        ws.k.arcCosRowF32(p, rows, norms[i], pn, k2);
      }
      return Array.from(ws.f32(p, rows));
    };
    for (const k2 of [0, 1.69]) {
      const wasm = run('auto', k2, true);
      expect(run('js', k2, true)).toEqual(wasm);
      // The float path sees g rounded to float32 first: within a few float32 ulps of the exact one.
      const viaF32 = run('auto', k2, false);
      for (let j = 0; j < rows; j++) expect(Math.abs(wasm[j] - viaF32[j])).toBeLessThanOrEqual(4 * 2 ** -24 * Math.abs(wasm[j]) + 1e-30);
      // Against Math.acos in float64 on the exact g.
      for (let j = 0; j < rows; j++) {
        const gij = g[j] * scales[i] * scales[j];
        const nn = norms[i] * norms[j];
        const cos = Math.min(1, Math.max(-1, gij / nn));
        const th = Math.acos(cos);
        const ref = (gij * (Math.PI - th)) / (2 * Math.PI) + (k2 * (nn * Math.sin(th) + (Math.PI - th) * gij)) / (2 * Math.PI);
        expect(Math.abs(wasm[j] - ref)).toBeLessThanOrEqual(2 ** -24 * Math.abs(ref) + 1e-13);
      }
    }
  });
});
