import { describe, expect, it } from 'vitest';
import { pluginDatasetSplits } from './plugin-dataset.js';

const ds = (outputDim: number, withLabels: boolean) => ({
  specificationVersion: 'v1', id: 'toy', spec: { inputDim: 2, outputDim, size: { train: 3, test: 1 } },
  async *batches(split: string) {
    // Train in two batches, so the reader has to concatenate them.
    if (split === 'train') {
      yield { n: 2, x: Float32Array.from([1, 2, 3, 4]), targets: outputDim === 1 ? Float32Array.from([-1, 1]) : Float32Array.from([0.1, 0.9, 0, 0.8, 0.2, 0]), ...(withLabels ? { classIds: Int32Array.from([2, 0]) } : {}) };
      yield { n: 1, x: Float32Array.from([5, 6]), targets: outputDim === 1 ? Float32Array.from([1]) : Float32Array.from([0, 0, 1]), ...(withLabels ? { classIds: Int32Array.from([1]) } : {}) };
    } else {
      yield { n: 1, x: Float32Array.from([7, 8]), targets: outputDim === 1 ? Float32Array.from([-1]) : Float32Array.from([1, 0, 0]), ...(withLabels ? { classIds: Int32Array.from([0]) } : {}) };
    }
  },
});

describe('pluginDatasetSplits', () => {
  it('reads every batch of both splits; classes from classIds, else argmax of y (K > 1) or y > 0 (K = 1)', async () => {
    const a = await pluginDatasetSplits('toy', ds(3, true));
    expect(Array.from(a.train.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(a.train.classIds)).toEqual([2, 0, 1]);
    expect([a.train.n, a.train.d, a.train.rows, a.train.cols, a.train.numClasses]).toEqual([3, 2, 1, 2, 3]);
    expect(Array.from((await pluginDatasetSplits('toy', () => ds(3, false))).train.classIds)).toEqual([1, 0, 2]);
    const b = await pluginDatasetSplits('toy', ds(1, false));
    expect(Array.from(b.train.classIds)).toEqual([0, 1, 1]);
    expect(Array.from(b.test.classIds)).toEqual([0]);
  });

  it('names the dataset and what a DatasetV1 needs when the entry is something else', async () => {
    await expect(pluginDatasetSplits('nope', { id: 'nope' })).rejects.toThrow('Dataset "nope" from a plugin is not a DatasetV1 (it needs spec.inputDim and batches(split)).');
  });
});
