import { InvalidOptionError, requirePositiveInt } from '@pikt/core';
import type { LabeledData } from '../labeled-data.js';

/** A generated problem: training and test samples drawn independently from the same distribution. */
export interface SyntheticSplits<T = undefined> {
  train: LabeledData;
  test: LabeledData;
  /** The generator's hidden parameters (teacher weights, alpha, ...), for checks and plots. */
  truth: T;
}

/** A count option: an integer >= min (core's option check). */
export const checkCount: (field: string, v: unknown, min?: number) => number = requirePositiveInt;

export function checkSeed(field: string, v: unknown): number | string {
  if (typeof v === 'string' || (Number.isSafeInteger(v) && (v as number) >= 0)) return v as number | string;
  throw new InvalidOptionError(field, v, 'a non-negative integer or a string');
}

/** Binary LabeledData from float64 inputs and 0/1 classIds: y = 2 label - 1 in {-1, +1}. */
export function binaryData(x: Float64Array, n: number, d: number, classIds: Int32Array, classNames: string[],
  pi?: { values: Float64Array; dim: number }): LabeledData {
  const out: LabeledData = {
    n, d, x: Float32Array.from(x), k: 1, targets: Float32Array.from(classIds, (l) => 2 * l - 1), classIds, classNames,
    index: Int32Array.from({ length: n }, (_, i) => i),
  };
  if (pi) {
    out.pi = Float32Array.from(pi.values);
    out.piDim = pi.dim;
  }
  return out;
}
