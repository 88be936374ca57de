import { describe, expect, it } from 'vitest';
import { createRng, fmix32, rngFromKey } from './rng.js';

const draws = (seed: number | string, n: number) => {
  const r = createRng(seed);
  return Array.from({ length: n }, () => r.nextUint32());
};

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('createRng', () => {
  it('gives identical streams for identical seeds and different ones otherwise', () => {
    expect(draws(42, 100)).toEqual(draws(42, 100));
    expect(draws('exp-1', 100)).toEqual(draws('exp-1', 100));
    expect(draws(42, 100)).not.toEqual(draws(43, 100));
    expect(draws(2 ** 40, 10)).not.toEqual(draws(0, 10));
  });

  it('pins the first outputs of seed 0 (changing the algorithm must be deliberate)', () => {
    const r = createRng(0);
    const first = [r.nextUint32(), r.nextUint32(), r.nextUint32()];
    // Literal values: saved runs and checkpoints depend on them.
    expect(first).toEqual([2930201539, 238438307, 3967151849]);
    expect(createRng('exp').uniform()).toBe(0.20381433109880354);
    expect(rngFromKey(createRng(0).key).nextUint32()).toBe(first[0]);
  });

  it('children depend on the label only, not on parent draws', () => {
    const a = createRng(1);
    const b = createRng(1);
    for (let i = 0; i < 17; i++) b.uniform();
    expect(a.child('init').uniform()).toBe(b.child('init').uniform());
    expect(a.child(3).nextUint32()).toBe(b.split(4)[3].nextUint32());
    expect(a.child('init').nextUint32()).not.toBe(a.child('data').nextUint32());
  });

  it('split children are uncorrelated: |corr| of 10^4 draws < 0.05', () => {
    const [c0, c1, c2] = createRng(2024).split(3);
    const n = 10_000;
    const x = c0.fillUniform(new Float64Array(n));
    const y = c1.fillUniform(new Float64Array(n));
    const z = c2.fillNormal(new Float64Array(n));
    expect(Math.abs(correlation(x, y))).toBeLessThan(0.05);
    expect(Math.abs(correlation(x, z))).toBeLessThan(0.05);
    // Lag-1 autocorrelation within one stream.
    expect(Math.abs(correlation(x.subarray(0, n - 1), x.subarray(1)))).toBeLessThan(0.05);
  });

  it('uniform passes a chi-square test on 20 bins (10^5 draws, p > 0.001)', () => {
    const r = createRng(5);
    const bins = new Float64Array(20);
    const n = 100_000;
    for (let i = 0; i < n; i++) bins[Math.floor(r.uniform() * 20)] += 1;
    const expected = n / 20;
    const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(43.82); // chi-square 19 dof, 0.999 quantile
  });

  it('normal has mean 0 and variance 1 within 4 standard errors', () => {
    const n = 100_000;
    const x = createRng(6).fillNormal(new Float64Array(n));
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('int is unbiased and permutation is a permutation', () => {
    const r = createRng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.int(3)] += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const p = Array.from(r.permutation(50));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).not.toEqual([...p].sort((a, b) => a - b));
  });

  it('rejects bad seeds and labels with a clear message', () => {
    expect(() => createRng(-1)).toThrow(/non-negative safe integer/);
    expect(() => createRng(1.5)).toThrow(/non-negative safe integer/);
    expect(() => createRng(1).child(-2)).toThrow(/string label/);
    expect(() => createRng(1).int(0)).toThrow(/integer n/);
  });

  it('fmix32 is the murmur3 finalizer (known value)', () => {
    // fmix32(1) from the reference murmur3 implementation.
    expect(fmix32(1)).toBe(0x514e28b7);
  });
});
