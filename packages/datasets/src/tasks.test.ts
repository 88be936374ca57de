import { InvalidOptionError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import type { LabeledSource } from './labeled-data.js';
import { makeTask, makeTaskSplits } from './tasks.js';

/** 4 classes with 5, 6, 7, 8 rows; row i has features (i, 100 + i) and scale 0.5. */
function pool(): LabeledSource {
  const labels: number[] = [];
  [5, 6, 7, 8].forEach((count, c) => { for (let i = 0; i < count; i++) labels.push(c); });
  const n = labels.length;
  return {
    n, d: 2, x: Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : 100 + (k - 1) / 2)),
    scale: 0.5, classIds: Int32Array.from(labels), numClasses: 4, classNames: ['w', 'x', 'y', 'z'],
  };
}

describe('makeTask', () => {
  it('class pair: stratified, y = -1 / +1 for the first / second class, inputs scaled, provenance kept', () => {
    const src = pool();
    const t = makeTask(src, { task: { kind: 'pair', classes: [3, 1] }, perClass: 4, seed: 1 });
    expect([t.n, t.d, t.k]).toEqual([8, 2, 1]);
    expect(t.classNames).toEqual(['z', 'x']);
    for (let r = 0; r < t.n; r++) {
      const i = t.index![r];
      expect(t.x[2 * r]).toBe(i * 0.5);
      expect(t.x[2 * r + 1]).toBe((100 + i) * 0.5);
      const source = src.classIds![i];
      expect(t.classIds![r]).toBe(source === 1 ? 1 : 0);
      expect(t.targets[r]).toBe(source === 1 ? 1 : -1);
    }
    expect(Array.from(t.classIds!).filter((l) => l === 1).length).toBe(4);
    expect(new Set(t.index).size).toBe(8);
  });

  it('one-vs-rest labels +1 only the positive class and draws perClass from every class', () => {
    const t = makeTask(pool(), { task: { kind: 'one-vs-rest', positive: 2 }, perClass: 5, seed: 2 });
    expect(t.n).toBe(20);
    expect(Array.from(t.targets).filter((v) => v === 1).length).toBe(5);
    expect(t.classNames).toEqual(['not y', 'y']);
  });

  it('multiclass one-hot and centered one-hot (rows sum to 0, e_c - 1/K)', () => {
    const src = pool();
    const oneHot = makeTask(src, { task: { kind: 'multiclass' }, seed: 3, shuffle: false });
    expect([oneHot.n, oneHot.k]).toEqual([26, 4]);
    expect(Array.from(oneHot.index!)).toEqual(Array.from({ length: 26 }, (_, i) => i));
    expect(Array.from(oneHot.targets.subarray(4 * 5, 4 * 6))).toEqual([0, 1, 0, 0]); // row 5 is class 1
    const centered = makeTask(src, { task: { kind: 'multiclass', classes: [2, 0, 3], encoding: 'centered' }, perClass: 2, seed: 3 });
    expect(centered.k).toBe(3);
    for (let r = 0; r < centered.n; r++) {
      const row = Array.from(centered.targets.subarray(3 * r, 3 * r + 3));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 6);
      expect(row[centered.classIds![r]]).toBeCloseTo(2 / 3, 6);
      expect([2, 0, 3][centered.classIds![r]]).toBe(src.classIds![centered.index![r]]);
    }
  });

  it('is deterministic in the seed; each class has its own stream', () => {
    const src = pool();
    const a = makeTask(src, { task: { kind: 'pair', classes: [0, 1] }, perClass: 3, seed: 5 });
    const b = makeTask(src, { task: { kind: 'pair', classes: [0, 1] }, perClass: 3, seed: 5 });
    const c = makeTask(src, { task: { kind: 'pair', classes: [0, 1] }, perClass: 3, seed: 6 });
    expect(Array.from(a.index!)).toEqual(Array.from(b.index!));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.index!)).not.toEqual(Array.from(c.index!));
    // Class 1's samples do not depend on which other class is in the task.
    const class1 = (t: ReturnType<typeof makeTask>) => Array.from(t.index!).filter((i) => src.classIds![i] === 1).sort((p, q) => p - q);
    const d = makeTask(src, { task: { kind: 'pair', classes: [2, 1] }, perClass: 3, seed: 5 });
    expect(class1(d)).toEqual(class1(a));
  });

  it('bad options are InvalidOptionErrors that say what is allowed', () => {
    const src = pool();
    expect(() => makeTask(src, { task: { kind: 'pair', classes: [0, 1] }, perClass: 6, seed: 1 }))
      .toThrow(/Invalid option "perClass": got 6\. Expected at most 5 \(class "w" has 5 samples in this split\)/);
    expect(() => makeTask(src, { task: { kind: 'pair', classes: [0, 0] }, seed: 1 })).toThrow(/two different class ids/);
    expect(() => makeTask(src, { task: { kind: 'pair', classes: [0, 4] }, seed: 1 })).toThrow(/task\.classes\[1\].*0\.\.3/);
    expect(() => makeTask(src, { task: { kind: 'one-vs-rest', positive: -1 }, seed: 1 })).toThrow(InvalidOptionError);
    expect(() => makeTask(src, { task: { kind: 'multiclass', encoding: 'x' as 'centered' }, seed: 1 })).toThrow(/task\.encoding/);
    expect(() => makeTask(src, { task: { kind: 'nope' } as never, seed: 1 })).toThrow(/task\.kind/);
    expect(() => makeTask(src, { task: { kind: 'multiclass' }, perClass: 0, seed: 1 })).toThrow(/perClass/);
    expect(() => makeTask({ ...src, classIds: undefined }, { task: { kind: 'multiclass' }, seed: 1 })).toThrow(/source\.classIds/);
    expect(() => makeTask({ ...src, classIds: Int32Array.from({ length: 26 }, () => 9) }, { task: { kind: 'multiclass' }, seed: 1 }))
      .toThrow(/source\.classIds\[0\]/);
  });
});

describe('makeTaskSplits', () => {
  it('draws train only from the train source and test only from the test source', () => {
    const train = pool();
    const test = { ...pool(), x: pool().x.map((v) => -v - 1) }; // distinguishable values
    const s = makeTaskSplits({ train, test }, { task: { kind: 'pair', classes: [0, 3] }, trainPerClass: 4, testPerClass: 2, seed: 9 });
    expect([s.train.n, s.test.n]).toEqual([8, 4]);
    expect(Array.from(s.train.x).every((v) => v >= 0)).toBe(true);
    expect(Array.from(s.test.x).every((v) => v < 0)).toBe(true);
    expect(() => makeTaskSplits({ train, test: train }, { task: { kind: 'multiclass' }, seed: 1 })).toThrow(/separate train and test sources/);
  });
});
