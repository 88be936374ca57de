import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { createCountDelta } from './count-delta.js';

// n not a multiple of 32 (a partial last word), patterns neuron-major [m, n] as 0/1.
const n = 37, m = 20;
const rng = createRng('count-delta');

const counts = (s: Uint8Array): Int32Array => {
  const c = new Int32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let r = 0; r < m; r++) c[i * n + j] += s[r * n + i] & s[r * n + j];
  return c;
};
/** Brute force sum_ij g_ij^2 (C - C0)_ij^2 over the full matrix. */
const reference = (g: Float64Array, c: Int32Array, c0: Int32Array): number => {
  let s = 0;
  for (let k = 0; k < n * n; k++) s += g[k] * g[k] * (c[k] - c0[k]) ** 2;
  return s;
};

describe('createCountDelta', () => {
  it('D = S S^T - S_0 S_0^T from flips (few, many, all of a neuron, none) equals the brute-force counts exactly', () => {
    const u = rng.child('u').fillUniform(new Float64Array(n * m));
    const s0 = Uint8Array.from(u, (v) => (v < 0.5 ? 1 : 0));
    const c0 = counts(s0);
    const gr = rng.child('g').fillNormal(new Float64Array(n * n));
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] = gr[Math.max(i, j) * n + Math.min(i, j)];
    const delta = createCountDelta(n, m, c0);
    const pack = (s: Uint8Array, kind: 'mask' | 'signs') => {
      // Two blocks of neurons, as the student's masks come; 'signs' gets -1/+1 values.
      const v = Float32Array.from(s, (b) => (kind === 'mask' ? b : b ? 0.5 : -0.5));
      delta.packRows(v.subarray(0, 7 * n), 7, 0, kind);
      delta.packRows(v.subarray(7 * n), m - 7, 7, kind);
    };
    pack(s0, 'mask');
    expect(delta.flips()).toBe(-1);
    delta.setFromCounts((set) => { for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) set(i, j, c0[i * n + j]); });
    expect(delta.weightedSquares(g)).toBe(0);
    let s = s0;
    for (const [step, p] of [[1, 0.01], [2, 0.1], [3, 0.5], [4, 0], [5, 1]] as const) {
      const f = rng.child('flip').child(step).fillUniform(new Float64Array(n * m));
      const next = Uint8Array.from(s, (b, k) => (f[k] < p ? 1 - b : b));
      if (step === 4) for (let i = 0; i < n; i++) next[3 * n + i] = 1 - s[3 * n + i]; // a whole neuron flips
      let flipped = 0;
      for (let k = 0; k < n * m; k++) flipped += next[k] ^ s[k];
      pack(next, step % 2 ? 'mask' : 'signs');
      expect(delta.flips()).toBe(flipped);
      delta.applyFlips();
      const want = reference(g, counts(next), c0);
      expect(Math.abs(delta.weightedSquares(g) - want)).toBeLessThanOrEqual(1e-12 * want);
      s = next;
    }
    // Points-major pre-activations [rows, cols] of the same patterns, in two row blocks: no flips.
    const z = new Float32Array(n * m);
    for (let i = 0; i < n; i++) for (let r = 0; r < m; r++) z[i * m + r] = s[r * n + i] ? 0 : -1; // 0 counts as on (z >= 0)
    delta.packPointsMajor(z.subarray(0, 10 * m), 10, m, 0, 0);
    delta.packPointsMajor(z.subarray(10 * m), n - 10, m, 10, 0);
    expect(delta.flips()).toBe(0);
    // After invalidate the next patterns have no last ones to compare with.
    delta.invalidate();
    pack(s0, 'mask');
    expect(delta.flips()).toBe(-1);
  });
});
