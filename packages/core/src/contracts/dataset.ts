import type { Rng } from '../rng.js';

export type Split = 'train' | 'test';

/**
 * Static description of a dataset.
 *
 * Vocabulary, used by every pikt package: `inputDim` d and `outputDim` K size the arrays; `targets`
 * are the float regression/classification targets y [n, K] (+-1 for a binary task, one-hot or centered
 * one-hot for K classes); `classIds` are the integer class ids in 0..classNames.length-1, one per row.
 */
export interface DatasetSpec {
  /** Input dimension d (after flattening). */
  inputDim: number;
  /** Output dimension K of the targets (and of teacherLogits). */
  outputDim: number;
  /** Number of samples per split (0: the split is absent). */
  size: Record<Split, number>;
  /** Optional class names, index = class id. */
  classNames?: string[];
  /** Free text: where the data comes from, transforms applied. */
  description?: string;
}

/**
 * One batch, row-major float32. Every field but `n` and `x` is optional: a dataset supplies what it
 * has, and a consumer (the trainer) checks that what its loss terms need is there.
 */
export interface Batch {
  n: number;
  /** Inputs x, [n, inputDim]. */
  x: Float32Array;
  /** Float targets y, [n, outputDim]. */
  targets?: Float32Array;
  /** Integer class id per row, [n], when the task is a classification. */
  classIds?: Int32Array;
  /** The teacher's outputs z on these rows, [n, outputDim] (privileged information for distillation). */
  teacherLogits?: Float32Array;
  /** The teacher's features on these rows, [n, teacherFeatureDim]. */
  teacherFeatures?: Float32Array;
  teacherFeatureDim?: number;
  /** Raw privileged information x* per row (e.g. LUPI's privileged features), [n, piDim]. */
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
