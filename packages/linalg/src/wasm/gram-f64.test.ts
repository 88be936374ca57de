import { createRng, OutOfMemoryBudgetError, ShapeMismatchError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { gramF64 } from './gram-f64.js';

/** Plain float64 reference, k in order. */
function naive(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const n = a.length / d, nc = b.length / d;
  const g = new Float64Array(n * nc);
  for (let i = 0; i < n; i++) for (let j = 0; j < nc; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += a[i * d + k] * b[j * d + k];
    g[i * nc + j] = s;
  }
  return g;
}

describe('gramF64: G = A B^T in float64, 2 x 2 SIMD tiles', () => {
  const d = 37; // odd: the last 2-double chunk is half padding
  const a = createRng(1).fillNormal(new Float64Array(41 * d));
  const b = createRng(2).fillNormal(new Float64Array(23 * d));

  it('equals the plain float64 sum within 1e-13 of the scale, rectangular and symmetric', () => {
    for (const [x, y] of [[a, b], [a, a]] as const) {
      const ref = naive(x, y, d);
      const g = gramF64(x, x === y ? null : y, { inputDim: d });
      let worst = 0;
      for (let k = 0; k < ref.length; k++) worst = Math.max(worst, Math.abs(g[k] - ref[k]));
      expect(worst).toBeLessThan(1e-13 * d);
    }
  });

  it('SIMD and JS give the same bits; a rectangular block equals the same rows of the symmetric Gram', () => {
    expect(Array.from(gramF64(a, b, { inputDim: d, kernel: 'js' }))).toEqual(Array.from(gramF64(a, b, { inputDim: d })));
    const full = gramF64(a, null, { inputDim: d });
    const cross = gramF64(a.subarray(0, 5 * d), a.subarray(5 * d), { inputDim: d });
    for (let i = 0; i < 5; i++) for (let j = 0; j < 36; j++) expect(cross[i * 36 + j]).toBe(full[i * 41 + 5 + j]);
    for (let i = 0; i < 41; i++) for (let j = 0; j < i; j++) expect(full[i * 41 + j]).toBe(full[j * 41 + i]);
  });

  it('refuses ragged rows and an over-budget result', () => {
    expect(() => gramF64(new Float64Array(10), null, { inputDim: 3 })).toThrow(ShapeMismatchError);
    expect(() => gramF64(new Float64Array(2000 * 4), null, { inputDim: 4, memoryBudgetBytes: 1e6 })).toThrow(OutOfMemoryBudgetError);
  });
});
