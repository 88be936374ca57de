import { describe, expect, it } from 'vitest';
import { lupiSynthetic } from './lupi.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, offsetB = 0, len = a.length) => {
  let s = 0;
  for (let j = 0; j < len; j++) s += a[j] * b[offsetB + j];
  return s;
};

describe('lupiSynthetic (Lopez-Paz et al. 2016, section 4.1)', () => {
  it('clean labels: x* = <alpha, x>, and P(label agrees with sign x*) = 1/2 + arcsin(rho)/pi', () => {
    const { train, truth } = lupiSynthetic({ setting: 'clean-labels', n: 20000, nTest: 10, d: 50, seed: 1 });
    expect([train.d, train.piDim, train.k]).toEqual([50, 1, 1]);
    let agree = 0;
    for (let i = 0; i < train.n; i++) {
      expect(Math.abs(train.pi![i] - dot(truth.alpha, train.x, i * 50))).toBeLessThan(1e-4 * (1 + Math.abs(train.pi![i])));
      if ((train.pi![i] > 0) === (train.classIds![i] === 1)) agree += 1;
      expect(train.targets[i]).toBe(train.classIds![i] === 1 ? 1 : -1);
    }
    // x* ~ N(0, |alpha|^2) and x* + eps have correlation rho = |alpha| / sqrt(|alpha|^2 + 1).
    const a2 = dot(truth.alpha, truth.alpha);
    const expected = 0.5 + Math.asin(Math.sqrt(a2 / (a2 + 1))) / Math.PI;
    const sd = Math.sqrt(expected * (1 - expected) / train.n);
    expect(Math.abs(agree / train.n - expected)).toBeLessThan(4 * sd);
  });

  it('clean features: x = x* + N(0, I) noise and labels are exactly 1[<alpha, x*> > 0]', () => {
    const { train, truth } = lupiSynthetic({ setting: 'clean-features', n: 400, d: 20, seed: 2 });
    expect(train.piDim).toBe(20);
    let noise2 = 0;
    for (let i = 0; i < train.n; i++) {
      expect(train.classIds![i]).toBe(dot(truth.alpha, train.pi!, i * 20) > 0 ? 1 : 0);
      for (let j = 0; j < 20; j++) noise2 += (train.x[i * 20 + j] - train.pi![i * 20 + j]) ** 2;
    }
    const v = noise2 / (400 * 20);
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / 8000));
  });

  it('relevant features: x* = x_J for one fixed J of size 3 and labels 1[<alpha_J, x*> > 0]', () => {
    const { train, test, truth } = lupiSynthetic({ setting: 'relevant-features', n: 300, nTest: 50, seed: 3 });
    const J = Array.from(truth.subset!);
    expect(new Set(J).size).toBe(3);
    const aJ = J.map((j) => truth.alpha[j]);
    for (const data of [train, test]) {
      for (let i = 0; i < data.n; i++) {
        J.forEach((j, c) => expect(data.pi![i * 3 + c]).toBe(data.x[i * 50 + j]));
        expect(data.classIds![i]).toBe(dot(aJ, data.pi!, i * 3) > 0 ? 1 : 0);
      }
    }
  });

  it('sample-dependent relevant features: each x*_i is 3 distinct coordinates of x_i, the subsets vary', () => {
    const { train } = lupiSynthetic({ setting: 'sample-relevant-features', n: 200, d: 10, seed: 4 });
    const subsets = new Set<string>();
    for (let i = 0; i < train.n; i++) {
      const row = Array.from(train.x.subarray(i * 10, i * 10 + 10));
      const idx = Array.from(train.pi!.subarray(i * 3, i * 3 + 3), (v) => row.indexOf(v));
      expect(idx.every((j) => j >= 0) && new Set(idx).size === 3).toBe(true);
      subsets.add([...idx].sort().join());
    }
    expect(subsets.size).toBeGreaterThan(50); // C(10, 3) = 120 possible subsets
  });

  it('is deterministic; train and test share alpha but not samples; options are validated', () => {
    const a = lupiSynthetic({ setting: 'clean-labels', n: 5, nTest: 5, seed: 9 });
    const b = lupiSynthetic({ setting: 'clean-labels', n: 5, nTest: 5, seed: 9 });
    expect(a.train.x).toEqual(b.train.x);
    expect(a.train.x).not.toEqual(a.test.x);
    expect([a.train.n, a.test.n, a.train.d]).toEqual([5, 5, 50]);
    expect(() => lupiSynthetic({ setting: 'nope' as never, seed: 1 })).toThrow(/one of clean-labels, clean-features/);
    expect(() => lupiSynthetic({ setting: 'relevant-features', d: 2, seed: 1 })).toThrow(/at most d = 2/);
  });
});
