import {
  InvalidOptionError, MissingInputError, NonFiniteError, ShapeMismatchError,
  type Batch, type DatasetV1, type RegularizerNeed,
} from '@pikt/core';

/**
 * A dataset read into memory: the whole training split (and the test split when the spec gives it
 * rows) as one `Batch` each, not yet checked. The trainer does its own batching (createBatchSchedule),
 * so it reads each split once, in dataset order.
 */
export interface LoadedData {
  inputDim: number;
  outputDim: number;
  train: Batch;
  test?: Batch;
}

/** A split after validation: float32 arrays, checked for shape and finiteness. */
export interface CheckedSplit {
  n: number;
  inputDim: number;
  outputDim: number;
  x: Float32Array;
  targets?: Float32Array;
  teacherLogits?: Float32Array;
  teacherFeatures?: Float32Array;
  teacherFeatureDim?: number;
}

const DATASET_HINT = 'a DatasetV1 (datasetFromArrays({ inputDim, outputDim, train: { x, targets, teacherLogits? } }) from @pikt/core for your own arrays, or a @pikt/datasets dataset)';

/** The inputs a split can supply to a regularizer (studentFeatures come from the model). */
export function splitProvides(split: CheckedSplit, need: RegularizerNeed): boolean {
  return need === 'studentFeatures' || split[need] !== undefined;
}

/** Read a `DatasetV1`'s train (and non-empty test) split into memory, one full batch each. */
export async function readDataset(data: DatasetV1): Promise<LoadedData> {
  if (typeof data !== 'object' || data === null || data.specificationVersion !== 'v1' || typeof data.batches !== 'function'
    || typeof data.spec !== 'object' || data.spec === null) {
    throw new InvalidOptionError('data', data, DATASET_HINT);
  }
  const { inputDim, outputDim } = data.spec;
  for (const f of ['inputDim', 'outputDim'] as const) {
    if (!Number.isInteger(data.spec[f]) || data.spec[f] < 1) throw new InvalidOptionError(`data.spec.${f}`, data.spec[f], 'an integer >= 1');
  }
  const train = await readSplit(data, 'train');
  const test = (data.spec.size?.test ?? 0) > 0 ? await readSplit(data, 'test') : undefined;
  return { inputDim, outputDim, train, ...(test ? { test } : {}) };
}

async function readSplit(data: DatasetV1, split: 'train' | 'test'): Promise<Batch> {
  const parts: Batch[] = [];
  for await (const b of data.batches(split)) parts.push(b);
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((s, b) => s + b.n, 0);
  const out: Batch = { n, x: concat(parts.map((b) => b.x)) };
  const fields = ['targets', 'teacherLogits', 'teacherFeatures'] as const;
  for (const f of fields) {
    if (parts.length > 0 && parts.every((b) => b[f] !== undefined)) out[f] = concat(parts.map((b) => b[f] as Float32Array));
  }
  if (out.teacherFeatures) out.teacherFeatureDim = parts[0].teacherFeatureDim;
  return out;
}

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of arrays) { out.set(a, at); at += a.length; }
  return out;
}

/**
 * Check one split: array lengths equal to n * dim, every value finite. Errors name the split and
 * field (`train.teacherLogits`) and, for non-finite values, the index.
 */
export function checkSplit(name: string, split: Batch, inputDim: number, outputDim: number): CheckedSplit {
  if (typeof split !== 'object' || split === null) throw new InvalidOptionError(name, split, 'a Batch { n, x, targets?, teacherLogits?, teacherFeatures? }');
  const { n } = split;
  if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(`${name}.n`, n, 'an integer >= 1 (the split has no rows)');
  const out: CheckedSplit = { n, inputDim, outputDim, x: toFloat32(`${name}.x`, split.x, n, inputDim) };
  if (split.targets !== undefined) out.targets = toFloat32(`${name}.targets`, split.targets, n, outputDim);
  if (split.teacherLogits !== undefined) out.teacherLogits = toFloat32(`${name}.teacherLogits`, split.teacherLogits, n, outputDim);
  if (split.teacherFeatures !== undefined) {
    const dim = split.teacherFeatureDim;
    if (!Number.isInteger(dim) || (dim as number) < 1) {
      throw new InvalidOptionError(`${name}.teacherFeatureDim`, dim, 'an integer >= 1 (the width of teacherFeatures)');
    }
    out.teacherFeatures = toFloat32(`${name}.teacherFeatures`, split.teacherFeatures, n, dim as number);
    out.teacherFeatureDim = dim;
  }
  return out;
}

/**
 * Check the data against the loss terms: each term's `needs` must be present in the training split
 * (MissingInputError names the term and the input).
 */
export function checkData(data: LoadedData, terms: ReadonlyArray<{ name: string; needs: readonly RegularizerNeed[] }>): { train: CheckedSplit; test?: CheckedSplit } {
  const train = checkSplit('train', data.train, data.inputDim, data.outputDim);
  for (const term of terms) {
    for (const need of term.needs) {
      if (!splitProvides(train, need)) throw new MissingInputError(`loss term "${term.name}"`, `train.${need}`);
    }
  }
  if (data.test === undefined) return { train };
  return { train, test: checkSplit('test', data.test, data.inputDim, data.outputDim) };
}

function toFloat32(field: string, values: ArrayLike<number>, rows: number, cols: number): Float32Array {
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new InvalidOptionError(field, values, `a Float32Array of length ${rows} * ${cols}`);
  }
  if (values.length !== rows * cols) {
    throw new ShapeMismatchError(`${field} (row-major [rows, cols], length ${values.length})`, [rows, cols], `length ${values.length}`);
  }
  const out = values instanceof Float32Array ? values : Float32Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new NonFiniteError(field, i, Number(values[i]));
  }
  return out;
}
