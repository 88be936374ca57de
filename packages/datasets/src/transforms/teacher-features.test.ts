import { describe, expect, it } from 'vitest';
import { teacherFeatures, type Embedding } from './teacher-features.js';

/** psi(x) = relu(x1 - x2), x1 + x2, 1: a stand-in for a teacher's hidden layer. */
const calls: number[] = [];
const embed: Embedding = (x, n) => {
  calls.push(n);
  const f = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    f[i * 3] = Math.max(x[2 * i] - x[2 * i + 1], 0);
    f[i * 3 + 1] = x[2 * i] + x[2 * i + 1];
    f[i * 3 + 2] = 1;
  }
  return { features: f, dim: 3 };
};

describe('teacherFeatures', () => {
  it('maps inputs through the embedding, in batches of batchSize rows', () => {
    calls.length = 0;
    const t = teacherFeatures({ name: 'toy', batchSize: 2 }, embed).fit({ x: Float64Array.from([3, 1]), n: 1, d: 2 });
    expect(t.state()).toBe(3);
    const out = t.apply({ x: Float64Array.from([3, 1, 1, 3, 2, 2, 0.5, 0]), n: 4, d: 2 });
    expect([out.n, out.d]).toEqual([4, 3]);
    expect(Array.from(out.x)).toEqual([2, 4, 1, 0, 4, 1, 0, 4, 1, 0.5, 0.5, 1]);
    expect(calls).toEqual([1, 2, 2]);
    expect(t.toJSON()).toEqual({ id: 'teacher-features', options: { name: 'toy', batchSize: 2 } });
  });

  it('rejects an embedding of the wrong size, a changing dim, or non-finite features', () => {
    const short: Embedding = (_x, n) => ({ features: new Float32Array(n), dim: 2 });
    expect(() => teacherFeatures({ name: 's' }, short).fit({ x: new Float64Array(2), n: 1, d: 2 })).toThrow(/teacher-features "s" output/);
    let dim = 2;
    const changing: Embedding = (_x, n) => ({ features: new Float32Array(n * dim), dim });
    const t = teacherFeatures({ name: 'c' }, changing).fit({ x: new Float64Array(2), n: 1, d: 2 });
    dim = 3;
    expect(() => t.apply({ x: new Float64Array(2), n: 1, d: 2 })).toThrow(/dim: expected \[2\], found \[3\]/);
    const nan: Embedding = (_x, n) => ({ features: new Float32Array(n).fill(NaN), dim: 1 });
    expect(() => teacherFeatures({ name: 'n' }, nan).fit({ x: new Float64Array(2), n: 1, d: 2 })).toThrow(/contains NaN/);
    expect(() => teacherFeatures({ name: '' }, embed)).toThrow(/teacherFeatures\.name/);
  });
});
