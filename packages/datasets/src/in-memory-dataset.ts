import { InvalidOptionError, ShapeMismatchError, type Batch, type BatchRequest, type DatasetV1, type Split } from '@pikt/core';
import { checkLabeledData, gatherRows, type LabeledData } from './labeled-data.js';

export interface InMemoryDatasetOptions {
  id: string;
  train: LabeledData;
  test: LabeledData;
  classNames?: string[];
  description?: string;
}

function batchOf(data: LabeledData, rows: Int32Array): Batch {
  const b: Batch = { n: rows.length, x: gatherRows(data.x, data.d, rows), y: gatherRows(data.y, data.k, rows) };
  if (data.labels) b.labels = gatherRows(data.labels, 1, rows);
  if (data.pi && data.piDim) {
    b.pi = gatherRows(data.pi, data.piDim, rows);
    b.piDim = data.piDim;
  }
  return b;
}

/**
 * Wraps in-memory train and test data as a `DatasetV1`. Batches are copies (a consumer may keep or
 * modify them); with `request.rng` the rows come in the order of `rng.permutation(n)`, otherwise
 * in data order; the last batch may be smaller.
 */
export function createInMemoryDataset(options: InMemoryDatasetOptions): DatasetV1 {
  const { id, train, test } = options;
  if (typeof id !== 'string' || id.length === 0) throw new InvalidOptionError('id', id, 'a non-empty string');
  checkLabeledData(train, 'train');
  checkLabeledData(test, 'test');
  if (train.d !== test.d) throw new ShapeMismatchError('test.d (input dimension)', [train.d], [test.d]);
  if (train.k !== test.k) throw new ShapeMismatchError('test.k (output dimension)', [train.k], [test.k]);
  const splits: Record<Split, LabeledData> = { train, test };
  const classNames = options.classNames ?? train.classNames;
  return {
    specificationVersion: 'v1',
    id,
    spec: {
      inputDim: train.d,
      outputDim: train.k,
      size: { train: train.n, test: test.n },
      ...(classNames ? { classNames: [...classNames] } : {}),
      ...(options.description ? { description: options.description } : {}),
    },
    async *batches(split: Split, request: BatchRequest = {}): AsyncIterable<Batch> {
      const data = splits[split];
      if (!data) throw new InvalidOptionError('split', split, '"train" or "test"');
      const size = request.batchSize ?? Math.max(1, data.n);
      if (!Number.isInteger(size) || size < 1) throw new InvalidOptionError('batchSize', request.batchSize, 'a positive integer');
      const order = request.rng ? request.rng.permutation(data.n) : Int32Array.from({ length: data.n }, (_, i) => i);
      for (let start = 0; start < data.n; start += size) yield batchOf(data, order.subarray(start, Math.min(start + size, data.n)));
    },
  };
}
