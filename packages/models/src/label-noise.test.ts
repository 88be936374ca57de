import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { withLabelNoise } from './label-noise.js';

describe('withLabelNoise', () => {
  const classIds = Int32Array.from({ length: 1000 }, (_, i) => i % 10);
  it('changes exactly round(rate * n) classIds, each to another class', () => {
    const { classIds: noisy, flipped } = withLabelNoise(classIds, 10, 0.237, createRng(1));
    expect(flipped.length).toBe(237);
    const changed = Array.from(noisy.keys()).filter((i) => noisy[i] !== classIds[i]);
    expect(changed).toEqual(Array.from(flipped));
    expect(Array.from(noisy).every((c) => c >= 0 && c < 10)).toBe(true);
  });
  it('is deterministic in the rng and leaves the input alone', () => {
    const a = withLabelNoise(classIds, 10, 0.5, createRng(2)).classIds;
    expect(withLabelNoise(classIds, 10, 0.5, createRng(2)).classIds).toEqual(a);
    expect(withLabelNoise(classIds, 10, 0.5, createRng(3)).classIds).not.toEqual(a);
    expect(classIds[3]).toBe(3);
  });
  it('spreads new classes over all the other classes', () => {
    const { classIds: noisy, flipped } = withLabelNoise(new Int32Array(3000), 4, 1, createRng(4));
    expect(flipped.length).toBe(3000);
    const counts = [0, 0, 0, 0];
    noisy.forEach((c) => { counts[c] += 1; });
    expect(counts[0]).toBe(0);
    for (const c of counts.slice(1)) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });
  it('names bad arguments', () => {
    expect(() => withLabelNoise(classIds, 10, 1.5, createRng(5))).toThrow(/rate/);
    expect(() => withLabelNoise(classIds, 5, 0.1, createRng(5))).toThrow(/classIds\[5\]/);
  });
});
