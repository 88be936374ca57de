import { InvalidOptionError, ShapeMismatchError, datasetFromArrays, type ArraySplit, type DatasetV1 } from '@pikt/core';
import { checkLabeledData, type LabeledData } from './labeled-data.js';

export interface InMemoryDatasetOptions {
  id: string;
  train: LabeledData;
  test: LabeledData;
  classNames?: string[];
  description?: string;
}

function arraysOf(data: LabeledData): ArraySplit {
  const s: ArraySplit = { x: data.x, targets: data.targets };
  if (data.classIds) s.classIds = data.classIds;
  if (data.pi && data.piDim) { s.pi = data.pi; s.piDim = data.piDim; }
  return s;
}

/**
 * Wraps in-memory train and test data as a `DatasetV1`, the form `train()` of @pikt/trainer reads
 * (through `datasetFromArrays` of @pikt/core). Batches are copies (a consumer may keep or modify them);
 * with `request.rng` the rows come in the order of `rng.permutation(n)`, otherwise in data order;
 * the last batch may be smaller.
 */
export function createInMemoryDataset(options: InMemoryDatasetOptions): DatasetV1 {
  const { id, train, test } = options;
  if (typeof id !== 'string' || id.length === 0) throw new InvalidOptionError('id', id, 'a non-empty string');
  checkLabeledData(train, 'train');
  checkLabeledData(test, 'test');
  if (train.d !== test.d) throw new ShapeMismatchError('test.d (input dimension)', [train.d], [test.d]);
  if (train.k !== test.k) throw new ShapeMismatchError('test.k (output dimension)', [train.k], [test.k]);
  const classNames = options.classNames ?? train.classNames;
  return datasetFromArrays({
    id, inputDim: train.d, outputDim: train.k, train: arraysOf(train), test: arraysOf(test),
    ...(classNames ? { classNames } : {}),
    ...(options.description ? { description: options.description } : {}),
  });
}
