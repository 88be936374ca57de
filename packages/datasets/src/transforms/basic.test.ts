import { describe, expect, it } from 'vitest';
import { standardize, unitNorm, ZeroRowError } from './basic.js';

describe('unitNorm', () => {
  it('scales every row to Euclidean norm 1 (3-4-5 triangle)', () => {
    const t = unitNorm().fit({ x: Float64Array.from([3, 4]), n: 1, d: 2 });
    const out = t.apply({ x: Float64Array.from([3, 4, 0, -2]), n: 2, d: 2 });
    expect(Array.from(out.x)).toEqual([0.6, 0.8, 0, -1]);
  });

  it('a zero row is an error naming the row', () => {
    const t = unitNorm().fit({ x: Float64Array.from([1, 0]), n: 1, d: 2 });
    expect(() => t.apply({ x: Float64Array.from([1, 0, 0, 0]), n: 2, d: 2 })).toThrow(ZeroRowError);
    expect(() => t.apply({ x: Float64Array.from([1, 0, 0, 0]), n: 2, d: 2 })).toThrow(/row 1 has norm 0/);
  });
});

describe('standardize', () => {
  it('uses the training mean and population std; constant columns become 0', () => {
    const t = standardize().fit({ x: Float64Array.from([1, 5, 3, 5]), n: 2, d: 2 });
    expect(Array.from(t.state()!.mean)).toEqual([2, 5]);
    expect(Array.from(t.state()!.std)).toEqual([1, 0]);
    expect(Array.from(t.apply({ x: Float64Array.from([1, 5, 3, 5, 6, 9]), n: 3, d: 2 }).x)).toEqual([-1, 0, 1, 0, 4, 0]);
  });

  it('training outputs have mean 0 and variance 1 per column', () => {
    const x = Float64Array.from({ length: 300 }, (_, i) => Math.sin(i) * (1 + (i % 3)) + (i % 3));
    const t = standardize().fit({ x, n: 100, d: 3 });
    const z = t.apply({ x, n: 100, d: 3 }).x;
    for (let j = 0; j < 3; j++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < 100; i++) { s += z[i * 3 + j]; s2 += z[i * 3 + j] ** 2; }
      expect(Math.abs(s / 100)).toBeLessThan(1e-14);
      expect(s2 / 100).toBeCloseTo(1, 12);
    }
    expect(() => standardize({ epsilon: -1 })).toThrow(/standardize\.epsilon/);
  });
});
