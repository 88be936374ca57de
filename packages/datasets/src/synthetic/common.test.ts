import { describe, expect, it } from 'vitest';
import { binaryData, checkCount, checkSeed } from './common.js';

describe('synthetic helpers', () => {
  it('binaryData maps labels 0/1 to targets -1/+1 and keeps PI', () => {
    const d = binaryData(Float64Array.from([1, 2, 3, 4]), 2, 2, Int32Array.from([1, 0]), ['a', 'b'], { values: Float64Array.from([7, 8]), dim: 1 });
    expect(Array.from(d.targets)).toEqual([1, -1]);
    expect(Array.from(d.pi!)).toEqual([7, 8]);
    expect([d.k, d.piDim, d.classNames]).toEqual([1, 1, ['a', 'b']]);
    expect(Array.from(d.index!)).toEqual([0, 1]);
  });

  it('option checks name the field', () => {
    expect(checkCount('n', 3)).toBe(3);
    expect(() => checkCount('n', 0)).toThrow(/Invalid option "n": got 0\. Expected an integer >= 1/);
    expect(() => checkCount('n', 2.5)).toThrow(/"n"/);
    expect(checkSeed('seed', 'abc')).toBe('abc');
    expect(() => checkSeed('seed', -1)).toThrow(/"seed"/);
  });
});
