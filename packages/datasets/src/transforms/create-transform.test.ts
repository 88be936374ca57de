import { createRng, UnknownPluginError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { createTransform, TRANSFORM_IDS } from './create-transform.js';
import type { Embedding } from './teacher-features.js';
import type { TransformConfig } from './transform.js';

const x = createRng(8).fillUniform(new Float64Array(8 * 16), 0, 1);
const embed: Embedding = (v, n, d) => {
  const f = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) f[i * 2 + (j % 2)] += v[i * d + j];
  return { features: f, dim: 2 };
};

describe('createTransform', () => {
  it('rebuilds every transform from its JSON config, giving identical outputs', () => {
    const config: TransformConfig[] = [
      { id: 'downsample', options: { rows: 4, cols: 4, factor: 2 } },
      { id: 'standardize' },
      { id: 'random-fourier-features', options: { features: 6, bandwidth: 'median', seed: 3 } },
      { id: 'pca', options: { k: 3 } },
      { id: 'teacher-features', options: { name: 'sum-parity' } },
      { id: 'unit-norm' },
    ];
    const a = createTransform(config, { embeddings: { 'sum-parity': embed } }).fit({ x, n: 8, d: 16 });
    const json = JSON.parse(JSON.stringify(a.toJSON()));
    const b = createTransform(json, { embeddings: { 'sum-parity': embed } }).fit({ x, n: 8, d: 16 });
    const outA = a.apply({ x, n: 8, d: 16 });
    expect(outA.d).toBe(2);
    expect(outA.x).toEqual(b.apply({ x, n: 8, d: 16 }).x);
    const gray = createTransform({ id: 'grayscale', options: { rows: 1, cols: 1 } }).fit({ x: Float64Array.from([1, 1, 1]), n: 1, d: 3 });
    expect(gray.apply({ x: Float64Array.from([1, 1, 1]), n: 1, d: 3 }).x[0]).toBeCloseTo(1, 15);
  });

  it('names the known ids for an unknown one, and the missing embedding for teacher-features', () => {
    expect(() => createTransform({ id: 'pcaa' })).toThrow(UnknownPluginError);
    expect(() => createTransform({ id: 'pcaa' })).toThrow(`Known transforms: ${TRANSFORM_IDS.join(', ')}`);
    expect(() => createTransform({ id: 'teacher-features', options: { name: 't' } })).toThrow(/embeddings \(given: none\)/);
    expect(() => createTransform({ id: 'pipeline', options: { steps: 3 } })).toThrow(/pipeline\.steps/);
    expect(() => createTransform(null as never)).toThrow(/Invalid option "transform"/);
  });
});
