import { InvalidOptionError, MissingInputError, NonFiniteError, ShapeMismatchError, type RegularizerNeed } from '@pikt/core';

type NumericArray = Float32Array | Float64Array | readonly number[];

/**
 * One split of the data as plain row-major arrays. `labels` are the targets y ([n, outputDim]: +-1
 * for a binary task, one-hot or centered one-hot for K classes); `teacherLogits` (z) and
 * `teacherFeatures` are the teacher's privileged information for the same rows.
 */
export interface DataSplit {
  n: number;
  inputDim: number;
  outputDim: number;
  /** [n, inputDim] */
  x: NumericArray;
  /** [n, outputDim] */
  labels?: NumericArray;
  /** [n, outputDim] */
  teacherLogits?: NumericArray;
  /** [n, teacherFeatureDim] */
  teacherFeatures?: NumericArray;
  teacherFeatureDim?: number;
}

/** The training split (required) and an optional test split evaluated every `evalEvery` steps. */
export interface TrainingData {
  train: DataSplit;
  test?: DataSplit;
}

/** A split after validation: float32 copies, checked for shape and finiteness. */
export interface CheckedSplit {
  n: number;
  inputDim: number;
  outputDim: number;
  x: Float32Array;
  labels?: Float32Array;
  teacherLogits?: Float32Array;
  teacherFeatures?: Float32Array;
  teacherFeatureDim?: number;
}

/** The inputs a split can supply to a regularizer (studentFeatures come from the model). */
export function splitProvides(split: CheckedSplit, need: RegularizerNeed): boolean {
  return need === 'studentFeatures' || split[need] !== undefined;
}

/**
 * Check one split: integer sizes, array lengths equal to n * dim, every value finite. Errors name the
 * split and field (`train.teacherLogits`) and, for non-finite values, the index.
 */
export function checkSplit(name: string, split: DataSplit): CheckedSplit {
  if (typeof split !== 'object' || split === null) throw new InvalidOptionError(name, split, 'an object { n, inputDim, outputDim, x, labels?, teacherLogits?, teacherFeatures? }');
  for (const f of ['n', 'inputDim', 'outputDim'] as const) {
    const v = split[f];
    if (!Number.isInteger(v) || v < 1) throw new InvalidOptionError(`${name}.${f}`, v, 'an integer >= 1');
  }
  const { n, inputDim, outputDim } = split;
  const out: CheckedSplit = { n, inputDim, outputDim, x: toFloat32(`${name}.x`, split.x, n, inputDim) };
  if (split.labels !== undefined) out.labels = toFloat32(`${name}.labels`, split.labels, n, outputDim);
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
 * (MissingInputError names the term and the input), and a test split must match the training split's
 * input and output dimensions.
 */
export function checkData(data: TrainingData, terms: ReadonlyArray<{ name: string; needs: readonly RegularizerNeed[] }>): { train: CheckedSplit; test?: CheckedSplit } {
  if (typeof data !== 'object' || data === null || data.train === undefined) {
    throw new InvalidOptionError('data.train', data?.train, 'the training split { n, inputDim, outputDim, x, labels?, teacherLogits? }');
  }
  const train = checkSplit('train', data.train);
  for (const term of terms) {
    for (const need of term.needs) {
      if (!splitProvides(train, need)) throw new MissingInputError(`loss term "${term.name}"`, `train.${need}`);
    }
  }
  if (data.test === undefined) return { train };
  const test = checkSplit('test', data.test);
  if (test.inputDim !== train.inputDim || test.outputDim !== train.outputDim) {
    throw new ShapeMismatchError('test split vs train split ([inputDim, outputDim])', [train.inputDim, train.outputDim], [test.inputDim, test.outputDim]);
  }
  return { train, test };
}

function toFloat32(field: string, values: NumericArray, rows: number, cols: number): Float32Array {
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
