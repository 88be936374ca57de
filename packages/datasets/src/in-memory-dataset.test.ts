import { createRng } from '@pikt/core';
import { describeDatasetConformance } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { createInMemoryDataset } from './in-memory-dataset.js';
import type { LabeledSource } from './labeled-data.js';
import { lupiSynthetic } from './synthetic/lupi.js';
import { makeTaskSplits } from './tasks.js';

const lupi = () => {
  const s = lupiSynthetic({ setting: 'relevant-features', d: 5, n: 23, nTest: 11, seed: 1 });
  return createInMemoryDataset({ id: 'lupi-relevant', train: s.train, test: s.test, description: 'LUPI setting 3' });
};

function images(n: number, seed: number): LabeledSource {
  const rng = createRng(seed);
  return {
    n, d: 6, x: Uint8Array.from({ length: 6 * n }, () => rng.int(256)), scale: 1 / 255,
    classIds: Uint8Array.from({ length: n }, (_, i) => i % 3), numClasses: 3,
  };
}
const task = () => {
  const s = makeTaskSplits({ train: images(30, 1), test: images(12, 2) }, { task: { kind: 'multiclass', encoding: 'centered' }, trainPerClass: 6, testPerClass: 3, seed: 4 });
  return createInMemoryDataset({ id: 'task-3-class', ...s });
};

describeDatasetConformance(lupi);
describeDatasetConformance(task, { batchSize: 5 });

describe('createInMemoryDataset', () => {
  it('spec describes the data; batches carry labels and privileged information', async () => {
    const ds = lupi();
    expect(ds.spec).toEqual({ inputDim: 5, outputDim: 1, size: { train: 23, test: 11 }, classNames: ['negative', 'positive'], description: 'LUPI setting 3' });
    const batches = [];
    for await (const b of ds.batches('train', { batchSize: 10 })) batches.push(b);
    expect(batches.map((b) => b.n)).toEqual([10, 10, 3]);
    expect(batches[2].piDim).toBe(3);
    expect(batches[2].pi!.length).toBe(9);
    expect(batches[2].classIds!.length).toBe(3);
  });

  it('shuffled batches follow rng.permutation(n) exactly', async () => {
    const s = lupiSynthetic({ setting: 'clean-labels', d: 3, n: 9, nTest: 2, seed: 2 });
    const ds = createInMemoryDataset({ id: 'x', train: s.train, test: s.test });
    const perm = createRng(5).permutation(9);
    const [b] = await (async () => { const out = []; for await (const q of ds.batches('train', { rng: createRng(5) })) out.push(q); return out; })();
    for (let r = 0; r < 9; r++) expect(b.pi![r]).toBe(s.train.pi![perm[r]]);
  });

  it('refuses inconsistent splits and bad requests', async () => {
    const s = lupiSynthetic({ setting: 'clean-labels', d: 3, n: 4, nTest: 2, seed: 2 });
    const other = lupiSynthetic({ setting: 'clean-labels', d: 4, n: 4, nTest: 2, seed: 2 });
    expect(() => createInMemoryDataset({ id: 'x', train: s.train, test: other.test })).toThrow(/test\.d \(input dimension\): expected \[3\], found \[4\]/);
    expect(() => createInMemoryDataset({ id: '', train: s.train, test: s.test })).toThrow(/"id"/);
    const ds = createInMemoryDataset({ id: 'x', train: s.train, test: s.test });
    await expect((async () => { for await (const _ of ds.batches('train', { batchSize: 0 })) void _; })()).rejects.toThrow(/batchSize/);
  });
});
