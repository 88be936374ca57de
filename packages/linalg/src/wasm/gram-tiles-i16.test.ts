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
  // 8-bit pixels, mostly zero like MNIST, plus the extremes 0 and 255 in whole rows.
  const c = Int16Array.from({ length: rows * d }, (_, t) => (t < d ? 255 : rng.uniform() < 0.4 ? Math.floor(256 * rng.uniform()) : 0));
  const dotExact = (i: number, j: number) => { let s = 0; for (let k = 0; k < d; k++) s += c[i * d + k] * c[j * d + k]; return s; };

  const tiles = (prefer: 'auto' | 'js') => {
    const ws = createWorkspace(G * (rows / 4) + 4 * rows * rows + 4096, prefer);
    const panel = ws.alloc(G * (rows / 4));
    const out = ws.alloc(4 * rows * rows);
    const h = new Int16Array(ws.buffer, panel, (G * rows) / 8);
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) h[((i >> 2) * G + 16 * (i & 3)) / 2 + 32 * (j >> 3) + (j & 7)] = c[i * d + j];
    for (let i = 0; i < rows; i += 2) ws.k.gramTilesI16(panel + (i >> 2) * G + 32 * ((i & 3) >> 1), panel, rows / 4, G, out + 4 * i * rows, out + 4 * (i + 1) * rows);
    return { kind: ws.kind, g: Int32Array.from(new Int32Array(ws.buffer, out, rows * rows)) };
  };

  it('gives every c_i . c_j exactly, in wasm and in the JS fallback', () => {
    const wasm = tiles('auto');
    const js = tiles('js');
    expect(wasm.kind).toBe('wasm-simd');
    expect(js.kind).toBe('js');
    for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) expect(wasm.g[i * rows + j]).toBe(dotExact(i, j));
    expect(Array.from(js.g)).toEqual(Array.from(wasm.g));
    expect(wasm.g[0]).toBe(d * 255 * 255); // the all-255 row with itself
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
