import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { createCountDelta } from './count-delta.js';

// n not a multiple of 32 (a partial last word), patterns neuron-major [m, n] as 0/1.
const n = 37, m = 20;
const rng = createRng('count-delta');

const counts = (s: Uint8Array, rows = n, neurons = m): Int32Array => {
  const c = new Int32Array(rows * rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) for (let r = 0; r < neurons; r++) c[i * rows + j] += s[r * rows + i] & s[r * rows + j];
  return c;
};
/** Brute force sum_ij g_ij^2 (C - C0)_ij^2 over the full matrix. */
const reference = (g: Float64Array, c: Int32Array, c0: Int32Array): number => {
  let s = 0;
  for (let k = 0; k < c.length; k++) s += g[k] * g[k] * (c[k] - c0[k]) ** 2;
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

  it('points with more flips than a byte lane holds (63 of one sign, both signs, whole neurons) stay exact', () => {
    // 301 neurons: a point flips up to 301 times (several lane flushes); n = 45 leaves a partial lane word.
    const nn = 45, mm = 301;
    const s0 = Uint8Array.from(rng.child('wide').fillUniform(new Float64Array(nn * mm)), (v) => (v < 0.5 ? 1 : 0));
    const c0 = counts(s0, nn, mm);
    const g = new Float64Array(nn * nn);
    const gr = rng.child('wide-g').fillNormal(new Float64Array(nn * nn));
    for (let i = 0; i < nn; i++) for (let j = 0; j < nn; j++) g[i * nn + j] = gr[Math.max(i, j) * nn + Math.min(i, j)];
    const delta = createCountDelta(nn, mm, c0);
    delta.packRows(Float32Array.from(s0), mm, 0, 'mask');
    delta.setFromCounts((set) => { for (let i = 0; i < nn; i++) for (let j = 0; j <= i; j++) set(i, j, c0[i * nn + j]); });
    let s = s0;
    const steps: Array<(b: number, r: number, i: number, u: number) => number> = [
      (b, _r, _i, u) => (u < 0.5 ? 1 - b : b), // ~150 flips a point, both signs
      (_b, _r, i) => (i < 20 ? 1 : 0), // points 0..19 all on (up to ~150 flips to 1), the others all off
      (b) => 1 - b, // every entry flips: 301 a point
      (b, r, i) => (r < 200 && i % 3 === 0 ? 1 - b : b),
    ];
    for (const [q, rule] of steps.entries()) {
      const u = rng.child('wide-flip').child(q).fillUniform(new Float64Array(nn * mm));
      const next = Uint8Array.from(s, (b, k) => rule(b, Math.floor(k / nn), k % nn, u[k]));
      let flipped = 0;
      for (let k = 0; k < nn * mm; k++) flipped += next[k] ^ s[k];
      delta.packRows(Float32Array.from(next.subarray(0, 100 * nn)), 100, 0, 'mask');
      delta.packRows(Float32Array.from(next.subarray(100 * nn)), mm - 100, 100, 'mask');
      expect(delta.flips()).toBe(flipped);
      delta.applyFlips();
      const want = reference(g, counts(next, nn, mm), c0);
      expect(Math.abs(delta.weightedSquares(g) - want)).toBeLessThanOrEqual(1e-12 * want);
      s = next;
    }
  });
});
