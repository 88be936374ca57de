import { createRng, InvalidOptionError } from '@pikt/core';
import type { LabeledSource } from './labeled-data.js';

export interface SplitOptions {
  /** Fraction of each class (or of all rows, without stratification) that goes to the test split, in (0, 1). */
  testFraction: number;
  seed: number | string;
  /** Split every class separately so both splits keep the class proportions (default true when labeled). */
  stratify?: boolean;
}

function subset(source: LabeledSource, rows: number[]): LabeledSource {
  const { d } = source;
  const Ctor = source.x.constructor as new (len: number) => LabeledSource['x'];
  const x = new Ctor(rows.length * d);
  rows.forEach((i, r) => x.set(source.x.subarray(i * d, (i + 1) * d), r * d));
  const out: LabeledSource = {
    n: rows.length, d, x, numClasses: source.numClasses,
    index: Int32Array.from(rows, (i) => (source.index ? source.index[i] : i)),
  };
  if (source.scale !== undefined) out.scale = source.scale;
  if (source.classIds) out.classIds = Int32Array.from(rows, (i) => source.classIds![i]);
  if (source.classNames) out.classNames = [...source.classNames];
  return out;
}

/**
 * Splits one pool (a CSV file, a generated set) into disjoint train and test sources. Each row goes
 * to exactly one side; `index` on both records the pool rows, so disjointness can be checked.
 * With stratification, class c sends round(testFraction * count_c) rows to test.
 */
export function splitTrainTest(source: LabeledSource, options: SplitOptions): { train: LabeledSource; test: LabeledSource } {
  const f = options.testFraction;
  if (!(typeof f === 'number' && f > 0 && f < 1)) throw new InvalidOptionError('testFraction', f, 'a number in (0, 1)');
  const stratify = options.stratify ?? source.classIds !== undefined;
  if (stratify && !source.classIds) throw new InvalidOptionError('stratify', true, 'false for a source without classIds');
  const rng = createRng(options.seed);
  const groups: number[][] = [];
  if (stratify) {
    for (let c = 0; c < source.numClasses; c++) groups.push([]);
    for (let i = 0; i < source.n; i++) {
      const c = source.classIds![i];
      if (!(c >= 0 && c < source.numClasses)) throw new InvalidOptionError(`source.classIds[${i}]`, c, `a class id in 0..${source.numClasses - 1}`);
      groups[c].push(i);
    }
  } else {
    groups.push(Array.from({ length: source.n }, (_, i) => i));
  }
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, c) => {
    const perm = rng.child(`group-${c}`).permutation(g.length);
    const nTest = Math.round(f * g.length);
    for (let i = 0; i < g.length; i++) (i < nTest ? test : train).push(g[perm[i]]);
  });
  train.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  if (train.length === 0 || test.length === 0) {
    throw new InvalidOptionError('testFraction', f, `a fraction that leaves rows on both sides (the pool has ${source.n} rows)`);
  }
  return { train: subset(source, train), test: subset(source, test) };
}
