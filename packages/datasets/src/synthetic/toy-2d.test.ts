import { describe, expect, it } from 'vitest';
import { toy2d } from './toy-2d.js';

const point = (x: Float32Array, i: number) => [x[2 * i], x[2 * i + 1]] as const;

describe('toy2d', () => {
  it('moons without noise: class 0 on the upper unit half-circle at (0, 0), class 1 on the lower one at (1, 0.5)', () => {
    const { train } = toy2d({ shape: 'moons', n: 101, noise: 0, seed: 1 });
    expect(Array.from(train.classIds!).filter((l) => l === 1).length).toBe(50);
    for (let i = 0; i < train.n; i++) {
      const [a, b] = point(train.x, i);
      if (train.classIds![i] === 0) { expect(Math.hypot(a, b)).toBeCloseTo(1, 6); expect(b).toBeGreaterThanOrEqual(0); }
      else { expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 6); expect(b).toBeLessThanOrEqual(0.5); }
    }
  });

  it('circles: radius 1 and `factor`; xor: class 1 iff x1 x2 > 0; spirals: angle = 2 pi turns r + pi c', () => {
    const c = toy2d({ shape: 'circles', n: 40, noise: 0, factor: 0.3, seed: 2 }).train;
    for (let i = 0; i < c.n; i++) expect(Math.hypot(...point(c.x, i))).toBeCloseTo(c.classIds![i] === 0 ? 1 : 0.3, 6);
    const x = toy2d({ shape: 'xor', n: 40, noise: 0, seed: 3 }).train;
    for (let i = 0; i < x.n; i++) {
      const [a, b] = point(x.x, i);
      expect(a * b > 0 ? 1 : 0).toBe(x.classIds![i]);
      expect(Math.max(Math.abs(a), Math.abs(b))).toBeLessThanOrEqual(1);
    }
    const s = toy2d({ shape: 'spirals', n: 40, noise: 0, turns: 1, seed: 4 }).train;
    for (let i = 0; i < s.n; i++) {
      const [a, b] = point(s.x, i);
      const r = Math.hypot(a, b);
      const expected = 2 * Math.PI * r + Math.PI * s.classIds![i];
      const diff = Math.atan2(b, a) - expected;
      expect(Math.abs(Math.atan2(Math.sin(diff), Math.cos(diff)))).toBeLessThan(1e-5);
    }
  });

  it('noise has the requested standard deviation; same seed, same points; options are validated', () => {
    const clean = toy2d({ shape: 'circles', n: 2000, noise: 0, seed: 5 }).train;
    const noisy = toy2d({ shape: 'circles', n: 2000, noise: 0.2, seed: 5 }).train;
    let s2 = 0;
    for (let k = 0; k < 4000; k++) s2 += (noisy.x[k] - clean.x[k]) ** 2;
    expect(Math.abs(Math.sqrt(s2 / 4000) - 0.2)).toBeLessThan(0.01);
    expect(toy2d({ shape: 'xor', seed: 6 }).test.x).toEqual(toy2d({ shape: 'xor', seed: 6 }).test.x);
    expect(() => toy2d({ shape: 'blobs' as never, seed: 1 })).toThrow(/one of moons, circles, xor, spirals/);
    expect(() => toy2d({ shape: 'circles', factor: 1.5, seed: 1 })).toThrow(/"factor"/);
  });
});
