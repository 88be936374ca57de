import { describe, expect, it } from 'vitest';
import type { LabeledSource } from './labeled-data.js';
import { splitTrainTest } from './split.js';
import { makeTaskSplits } from './tasks.js';

const labeled = (): LabeledSource => ({
  n: 40, d: 1, x: Float32Array.from({ length: 40 }, (_, i) => i), numClasses: 2,
  classIds: Int32Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : 1)),
});

describe('splitTrainTest', () => {
  it('splits each class separately into disjoint sides that cover the pool', () => {
    const { train, test } = splitTrainTest(labeled(), { testFraction: 0.2, seed: 1 });
    expect([train.n, test.n]).toEqual([32, 8]);
    const all = [...train.index!, ...test.index!].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(Array.from(test.classIds!).filter((l) => l === 1).length).toBe(2); // round(0.2 * 10)
    expect(Array.from(train.x)).toEqual(Array.from(train.index!)); // rows travel with their features
  });

  it('is deterministic in the seed, and tasks cut from both sides never share a pool row', () => {
    const a = splitTrainTest(labeled(), { testFraction: 0.25, seed: 'x' });
    const b = splitTrainTest(labeled(), { testFraction: 0.25, seed: 'x' });
    expect(Array.from(a.test.index!)).toEqual(Array.from(b.test.index!));
    const tasks = makeTaskSplits(a, { task: { kind: 'pair', classes: [0, 1] }, trainPerClass: 7, testPerClass: 2, seed: 3 });
    const trainRows = new Set(tasks.train.index);
    expect(Array.from(tasks.test.index!).some((i) => trainRows.has(i))).toBe(false);
    expect(tasks.test.index!.every((i) => a.test.index!.includes(i))).toBe(true);
  });

  it('works without labels when not stratified, and validates the fraction', () => {
    const src = { ...labeled(), classIds: undefined };
    const { train, test } = splitTrainTest(src, { testFraction: 0.5, seed: 2 });
    expect([train.n, test.n, train.classIds]).toEqual([20, 20, undefined]);
    expect(() => splitTrainTest(src, { testFraction: 0.5, seed: 2, stratify: true })).toThrow(/stratify/);
    expect(() => splitTrainTest(labeled(), { testFraction: 1, seed: 2 })).toThrow(/testFraction/);
    expect(() => splitTrainTest(labeled(), { testFraction: 0.001, seed: 2 })).toThrow(/leaves rows on both sides/);
  });
});
