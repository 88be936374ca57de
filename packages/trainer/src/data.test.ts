import { MissingInputError, NonFiniteError, ShapeMismatchError, datasetFromArrays, type Batch, type DatasetV1 } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { checkData, checkSplit, readDataset } from './data.js';

const split: Batch = { n: 2, x: new Float32Array([1, 2, 3, 4, 5, 6]), targets: new Float32Array([1, -1]) };

describe('data checks', () => {
  it('keeps a Float32Array as is', () => {
    expect(checkSplit('train', split, 3, 1).x).toBe(split.x);
    expect(checkSplit('train', split, 3, 1).targets).toEqual(new Float32Array([1, -1]));
  });
  it('names sizes, lengths, non-finite values and missing inputs', () => {
    expect(() => checkSplit('train', { ...split, n: 0 }, 3, 1)).toThrow('Invalid option "train.n": got 0. Expected an integer >= 1 (the split has no rows).');
    expect(() => checkSplit('train', { ...split, x: new Float32Array(2) }, 3, 1)).toThrow(ShapeMismatchError);
    expect(() => checkSplit('train', { ...split, x: new Float32Array(2) }, 3, 1)).toThrow('train.x (row-major [rows, cols], length 2): expected [2, 3], found length 2.');
    expect(() => checkSplit('test', { ...split, targets: new Float32Array([1, Infinity]) }, 3, 1)).toThrow(NonFiniteError);
    expect(() => checkSplit('test', { ...split, targets: new Float32Array([1, Infinity]) }, 3, 1)).toThrow('test.targets contains Infinity at index 1.');
    expect(() => checkSplit('train', { ...split, teacherFeatures: new Float32Array(2) }, 3, 1)).toThrow('"train.teacherFeatureDim": got undefined');
    const loaded = { inputDim: 3, outputDim: 1, train: split };
    expect(() => checkData(loaded, [{ name: 'pi', needs: ['teacherLogits'] }])).toThrow(MissingInputError);
    expect(() => checkData(loaded, [{ name: 'pi', needs: ['teacherLogits'] }])).toThrow('loss term "pi" needs the input "train.teacherLogits"');
    expect(() => checkData(loaded, [{ name: 'fm', needs: ['studentFeatures'] }])).not.toThrow();
  });
});

describe('readDataset', () => {
  it('reads the train split and a non-empty test split of a DatasetV1 in dataset order', async () => {
    const ds = datasetFromArrays({ inputDim: 2, outputDim: 1, train: { x: [1, 2, 3, 4, 5, 6], targets: [1, -1, 1], teacherLogits: [0.5, 0, -2] }, test: { x: [7, 8], targets: [-1] } });
    const loaded = await readDataset(ds);
    expect(loaded.inputDim).toBe(2);
    expect(Array.from(loaded.train.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(loaded.train.teacherLogits!)).toEqual([0.5, 0, -2]);
    expect(Array.from(loaded.test!.targets!)).toEqual([-1]);
    const noTest = await readDataset(datasetFromArrays({ inputDim: 2, outputDim: 1, train: { x: [1, 2], targets: [1] } }));
    expect(noTest.test).toBeUndefined();
  });
  it('concatenates a dataset that yields several batches even without a batch size', async () => {
    const inner = datasetFromArrays({ inputDim: 1, outputDim: 1, train: { x: [1, 2, 3], targets: [4, 5, 6] } });
    const chunked: DatasetV1 = { ...inner, batches: (split) => inner.batches(split, { batchSize: 2 }) };
    const loaded = await readDataset(chunked);
    expect(loaded.train.n).toBe(3);
    expect(Array.from(loaded.train.targets!)).toEqual([4, 5, 6]);
  });
  it('rejects anything that is not a DatasetV1 with a hint naming datasetFromArrays', async () => {
    await expect(readDataset({ train: {} } as never)).rejects.toThrow(/Invalid option "data": got .*Expected a DatasetV1 \(datasetFromArrays/);
  });
});
