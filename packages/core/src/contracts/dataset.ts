import type { Rng } from '../rng.js';

export type Split = 'train' | 'test';

/** Static description of a dataset. */
export interface DatasetSpec {
  /** Input dimension d (after flattening). */
  inputDim: number;
  /** Output dimension K of the targets. */
  outputDim: number;
  /** Number of samples per split. */
  size: Record<Split, number>;
  /** Optional class names, index = class id. */
  classNames?: string[];
  /** Free text: where the data comes from, transforms applied. */
  description?: string;
}

/** One batch in row-major float32: x is [n, inputDim], y is [n, outputDim]. */
export interface Batch {
  n: number;
  x: Float32Array;
  y: Float32Array;
  /** Integer class labels when the task is a classification. */
  labels?: Int32Array;
  /** Optional privileged information per sample, [n, piDim]. */
  pi?: Float32Array;
  piDim?: number;
}

export interface BatchRequest {
  /** Samples per batch; omit for a single full batch. */
  batchSize?: number;
  /** Shuffle with this generator (omit for dataset order). */
  rng?: Rng;
}

/** Dataset contract, version 1. */
export interface DatasetV1 {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly spec: DatasetSpec;
  batches(split: Split, request?: BatchRequest): AsyncIterable<Batch>;
}
