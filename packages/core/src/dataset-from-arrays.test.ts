import { describe, expect, it } from 'vitest';
import type { Batch, DatasetV1, Split } from './contracts/dataset.js';
import { datasetFromArrays, gatherRows } from './dataset-from-arrays.js';
import { createRng } from './rng.js';

async function collect(ds: DatasetV1, split: Split, batchSize?: number, seed?: number): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of ds.batches(split, { batchSize, rng: seed === undefined ? undefined : createRng(seed) })) out.push(b);
  return out;
}

const train = {
  x: [1, 2, 3, 4, 5, 6], targets: [1, -1, 1], classIds: [1, 0, 1], teacherLogits: [0.5, -0.5, 2],
  teacherFeatures: [1, 0, 0, 1, 1, 1], teacherFeatureDim: 2, pi: [7, 8, 9], piDim: 1,
};

describe('datasetFromArrays', () => {
  it('describes the arrays in its spec; a full batch carries every field as float32 / int32 copies', async () => {
    const ds = datasetFromArrays({ id: 'toy', inputDim: 2, outputDim: 1, train, test: { x: [0, 1], targets: [-1] }, classNames: ['neg', 'pos'] });
    expect(ds.specificationVersion).toBe('v1');
    expect(ds.spec).toEqual({ inputDim: 2, outputDim: 1, size: { train: 3, test: 1 }, classNames: ['neg', 'pos'] });
    const [b] = await collect(ds, 'train');
    expect(b.n).toBe(3);
    expect(b.x).toEqual(new Float32Array([1, 2, 3, 4, 5, 6]));
    expect(b.targets).toEqual(new Float32Array([1, -1, 1]));
    expect(b.classIds).toEqual(new Int32Array([1, 0, 1]));
    expect(b.teacherLogits).toEqual(new Float32Array([0.5, -0.5, 2]));
    expect(b.teacherFeatures).toEqual(new Float32Array([1, 0, 0, 1, 1, 1]));
    expect([b.teacherFeatureDim, b.piDim]).toEqual([2, 1]);
    expect(b.pi).toEqual(new Float32Array([7, 8, 9]));
    b.x[0] = 99;
    expect((await collect(ds, 'train'))[0].x[0]).toBe(1); // a copy
  });
  it('batches in data order, or in the order of rng.permutation(n); no test split means size 0, no batch', async () => {
    const ds = datasetFromArrays({ inputDim: 2, outputDim: 1, train });
    expect(ds.id).toBe('arrays');
    expect(ds.spec.size).toEqual({ train: 3, test: 0 });
    expect(await collect(ds, 'test')).toEqual([]);
    expect((await collect(ds, 'train', 2)).map((b) => Array.from(b.targets!))).toEqual([[1, -1], [1]]);
    const perm = Array.from(createRng(4).permutation(3));
    const shuffled = await collect(ds, 'train', 3, 4);
    expect(Array.from(shuffled[0].pi!)).toEqual(perm.map((i) => train.pi[i]));
  });
  it('names the split and field of a shape error, and rejects bad options', async () => {
    expect(() => datasetFromArrays({ inputDim: 4, outputDim: 1, train })).toThrow('Shape mismatch in train.x (row-major [n, inputDim], length 6): expected a multiple of inputDim = 4, found length 6.');
    expect(() => datasetFromArrays({ inputDim: 2, outputDim: 1, train: { ...train, teacherLogits: [1] } })).toThrow('Shape mismatch in train.teacherLogits (row-major [n, outputDim]): expected [3, 1], found length 1.');
    expect(() => datasetFromArrays({ inputDim: 2, outputDim: 1, train, test: { x: [1, 2], targets: [1, 2] } })).toThrow('Shape mismatch in test.targets');
    expect(() => datasetFromArrays({ inputDim: 2, outputDim: 1, train: { x: [1, 2], pi: [1] } })).toThrow('Invalid option "train.piDim": got undefined.');
    expect(() => datasetFromArrays({ inputDim: 0, outputDim: 1, train })).toThrow('Invalid option "inputDim": got 0. Expected an integer >= 1.');
    expect(() => datasetFromArrays({ inputDim: 2, outputDim: 1, train: undefined as never })).toThrow('Invalid option "train": got undefined.');
    const ds = datasetFromArrays({ inputDim: 2, outputDim: 1, train });
    await expect(collect(ds, 'train', 0)).rejects.toThrow('Invalid option "batchSize": got 0.');
    await expect(collect(ds, 'val' as Split)).rejects.toThrow('Invalid option "split": got "val".');
  });
  it('gatherRows copies the given rows into the requested array type', () => {
    expect(gatherRows([1, 2, 3, 4, 5, 6], 2, [2, 0], Float64Array)).toEqual(new Float64Array([5, 6, 1, 2]));
  });
});
