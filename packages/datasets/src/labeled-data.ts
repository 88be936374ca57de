import { NonFiniteError, ShapeMismatchError, gatherRows as gatherRowsAs } from '@pikt/core';

/** Row-major float matrices: x is [n, d]. Transforms keep the array type they are given. */
export type FloatArray = Float32Array | Float64Array;

/** A plain feature matrix, row-major [n, d]. */
export interface FeatureMatrix<T extends FloatArray = FloatArray> {
  x: T;
  n: number;
  d: number;
}

/**
 * A task's samples in memory, the form the kernel analysis consumes (`createInMemoryDataset` wraps
 * two of them as the `DatasetV1` the trainer reads): inputs x [n, d], float targets y [n, k] (k = 1
 * with y in {-1, +1} for a binary task; one-hot or centered one-hot for K classes), optional integer
 * `classIds` and optional privileged information pi [n, piDim]. d and k are the spec's inputDim and
 * outputDim (short names, as in the math).
 */
export interface LabeledData {
  n: number;
  d: number;
  x: Float32Array;
  k: number;
  /** Float targets y, [n, k]. */
  targets: Float32Array;
  /** Class id of each sample in 0..classNames.length-1 (task classes, not source classes). */
  classIds?: Int32Array;
  /** Privileged information, row-major [n, piDim]: available at training time only. */
  pi?: Float32Array;
  piDim?: number;
  /** Row index of each sample in the source it was drawn from (provenance; proves splits are disjoint). */
  index?: Int32Array;
  classNames?: string[];
}

/** A labeled pool that tasks are drawn from: raw features (bytes for images) and integer class ids. */
export interface LabeledSource {
  n: number;
  d: number;
  /** Row-major [n, d]; multiplied by `scale` when materialized as float32. */
  x: Uint8Array | Float32Array | Float64Array;
  /** Multiplier applied to x when converting to float (1/255 for 8-bit images); default 1. */
  scale?: number;
  /** Class id per row in 0..numClasses-1; absent for unlabeled data (tasks then refuse it). */
  classIds?: ArrayLike<number>;
  numClasses: number;
  classNames?: string[];
  /** Row index of each sample in the pool this source was cut from (set by splitTrainTest). */
  index?: Int32Array;
}

/** Throws ShapeMismatchError / NonFiniteError unless `data` is internally consistent and finite. */
export function checkLabeledData(data: LabeledData, what = 'data'): void {
  const { n, d, k } = data;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(d) || d < 1 || !Number.isInteger(k) || k < 1) {
    throw new ShapeMismatchError(`${what} dimensions`, 'integers n >= 0, d >= 1, k >= 1', [n, d, k]);
  }
  if (data.x.length !== n * d) throw new ShapeMismatchError(`${what}.x`, [n * d], [data.x.length]);
  if (data.targets.length !== n * k) throw new ShapeMismatchError(`${what}.targets`, [n * k], [data.targets.length]);
  if (data.classIds && data.classIds.length !== n) throw new ShapeMismatchError(`${what}.classIds`, [n], [data.classIds.length]);
  if (data.index && data.index.length !== n) throw new ShapeMismatchError(`${what}.index`, [n], [data.index.length]);
  if (data.pi) {
    const piDim = data.piDim ?? 0;
    if (!(piDim >= 1) || data.pi.length !== n * piDim) {
      throw new ShapeMismatchError(`${what}.pi (piDim ${piDim})`, [n * Math.max(piDim, 1)], [data.pi.length]);
    }
    assertFinite(data.pi, `${what}.pi`);
  }
  assertFinite(data.x, `${what}.x`);
  assertFinite(data.targets, `${what}.targets`);
}

/** Throws NonFiniteError at the first NaN or infinity. */
export function assertFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new NonFiniteError(what, i, values[i]);
  }
}

/** Copies rows `rows` of a row-major [*, width] array into a new array of the same type. */
export function gatherRows<T extends Float32Array | Float64Array | Int32Array>(src: T, width: number, rows: ArrayLike<number>): T {
  return gatherRowsAs(src, width, rows, src.constructor as new (len: number) => T);
}

/** The samples of `data` at `rows`, in that order (every per-sample field follows). */
export function selectRows(data: LabeledData, rows: ArrayLike<number>): LabeledData {
  const out: LabeledData = {
    n: rows.length,
    d: data.d,
    x: gatherRows(data.x, data.d, rows),
    k: data.k,
    targets: gatherRows(data.targets, data.k, rows),
  };
  if (data.classIds) out.classIds = gatherRows(data.classIds, 1, rows);
  if (data.pi && data.piDim) {
    out.pi = gatherRows(data.pi, data.piDim, rows);
    out.piDim = data.piDim;
  }
  if (data.index) out.index = gatherRows(data.index, 1, rows);
  if (data.classNames) out.classNames = [...data.classNames];
  return out;
}
