import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { piMinusArcCos } from './arccos-kernel.js';
import { createWorkspace } from './workspace.js';

/** The float64 reference with Math.acos: g (pi - theta)/(2 pi) [+ k2 (ni nj sin theta + (pi - theta) g)/(2 pi)]. */
function reference(g: number, ni: number, nj: number, k2: number): number {
  const nn = ni * nj;
  const c = nn > 0 ? Math.min(1, Math.max(-1, g / nn)) : 0;
  const theta = Math.acos(c);
  return (g * (Math.PI - theta)) / (2 * Math.PI) + (k2 * (nn * Math.sin(theta) + (Math.PI - theta) * g)) / (2 * Math.PI);
}

describe('arcCosRowF32 (the two-layer NTK transform of a row of inner products)', () => {
  const count = 1000;
  const rng = createRng(7);
  const norms = Float64Array.from({ length: count }, (_, j) => (j % 97 === 0 ? 0 : 0.5 + rng.uniform()));
  const ni = 1.3;
  // Inner products over the whole range of cosines, with the extremes +-1 and some beyond (rounding).
  const g = Float32Array.from({ length: count }, (_, j) => {
    const c = j % 50 === 1 ? 1 : j % 50 === 2 ? -1 : j % 50 === 3 ? 1 + 1e-7 : 2 * rng.uniform() - 1;
    return norms[j] === 0 ? 0 : c * ni * norms[j];
  });
  const run = (prefer: 'auto' | 'js', k2: number) => {
    const ws = createWorkspace(16 * count + 4096, prefer);
    const p = ws.alloc(4 * count), pn = ws.alloc(8 * count);
    ws.f32(p, count).set(g);
    ws.f64(pn, count).set(norms);
    ws.k.arcCosRowF32(p, count, ni, pn, k2);
    return { kind: ws.kind, out: Float32Array.from(ws.f32(p, count)) };
  };

  for (const k2 of [0, 1.69]) {
    it(`matches the Math.acos reference to float32 rounding, and the JS fallback bit for bit (k2 = ${k2})`, () => {
      const wasm = run('auto', k2);
      const js = run('js', k2);
      expect(wasm.kind).toBe('wasm-simd');
      expect(js.kind).toBe('js');
      expect(Array.from(wasm.out)).toEqual(Array.from(js.out));
      let worst = 0;
      for (let j = 0; j < count; j++) {
        const ref = reference(g[j], ni, norms[j], k2);
        const allowed = 1e-14 * (1 + k2) * ni * norms[j] + 2 ** -24 * Math.abs(ref) + 1e-30;
        worst = Math.max(worst, Math.abs(wasm.out[j] - ref) / allowed);
      }
      expect(worst).toBeLessThanOrEqual(1);
      // Zero norms give theta = pi/2 with g = 0: the entry is exactly 0.
      expect(wasm.out[0]).toBe(0);
    });
  }

  it('pi - arccos by the polynomial is within 2e-14 of Math.acos over [-1, 1]', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const c = -1 + i / 100_000;
      worst = Math.max(worst, Math.abs(piMinusArcCos(c) - (Math.PI - Math.acos(c))));
    }
    expect(worst).toBeLessThan(2e-14);
  });
});
