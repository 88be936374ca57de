import { createRng, InvalidOptionError, type Rng } from '@pikt/core';
import type { LabeledData, LabeledSource } from './labeled-data.js';

/**
 * Which learning problem to cut from a labeled source:
 * - pair: two classes, the first gets y = -1, the second y = +1 (task labels 0 and 1);
 * - one-vs-rest: y = +1 for `positive`, -1 for every other class;
 * - multiclass: K classes (default all), targets one-hot e_c, or centered one-hot e_c - 1/K
 *   (rows sum to 0, the form whose mean target is zero as a symmetric-init student's output is).
 */
export type TaskSpec =
  | { kind: 'pair'; classes: [number, number] }
  | { kind: 'one-vs-rest'; positive: number }
  | { kind: 'multiclass'; classes?: number[]; encoding?: 'one-hot' | 'centered' };

export interface TaskOptions {
  task: TaskSpec;
  /** Stratified sampling: exactly this many samples of every source class involved (default: all of them). */
  perClass?: number;
  /** Seed of the sampling and the order; same seed, same task. */
  seed: number | string;
  /** Interleave the classes in a seeded random order (default true); false keeps source order. */
  shuffle?: boolean;
}

function className(source: LabeledSource, c: number): string {
  return source.classNames?.[c] ?? String(c);
}

function checkClass(source: LabeledSource, field: string, c: unknown): number {
  if (!Number.isInteger(c) || (c as number) < 0 || (c as number) >= source.numClasses) {
    throw new InvalidOptionError(field, c, `a class id in 0..${source.numClasses - 1}`);
  }
  return c as number;
}

/** Source classes involved, and for each the task label it maps to. */
function taskClasses(source: LabeledSource, task: TaskSpec): { classes: number[]; taskLabel: (c: number) => number; names: string[] } {
  if (task.kind === 'pair') {
    const [a, b] = (task.classes ?? []).map((c, i) => checkClass(source, `task.classes[${i}]`, c));
    if (task.classes?.length !== 2 || a === b) throw new InvalidOptionError('task.classes', task.classes, 'two different class ids');
    return { classes: [a, b], taskLabel: (c) => (c === b ? 1 : 0), names: [className(source, a), className(source, b)] };
  }
  if (task.kind === 'one-vs-rest') {
    const p = checkClass(source, 'task.positive', task.positive);
    const all = Array.from({ length: source.numClasses }, (_, c) => c);
    return { classes: all, taskLabel: (c) => (c === p ? 1 : 0), names: [`not ${className(source, p)}`, className(source, p)] };
  }
  if (task.kind === 'multiclass') {
    const classes = (task.classes ?? Array.from({ length: source.numClasses }, (_, c) => c)).map((c, i) => checkClass(source, `task.classes[${i}]`, c));
    if (classes.length < 2 || new Set(classes).size !== classes.length) {
      throw new InvalidOptionError('task.classes', task.classes, 'at least two different class ids');
    }
    if (task.encoding !== undefined && task.encoding !== 'one-hot' && task.encoding !== 'centered') {
      throw new InvalidOptionError('task.encoding', task.encoding, '"one-hot" or "centered"');
    }
    const pos = new Map(classes.map((c, i) => [c, i]));
    return { classes, taskLabel: (c) => pos.get(c) as number, names: classes.map((c) => className(source, c)) };
  }
  throw new InvalidOptionError('task.kind', (task as { kind: unknown }).kind, '"pair", "one-vs-rest" or "multiclass"');
}

/** Rows of each class, in source order. */
function rowsByClass(classIds: ArrayLike<number>, numClasses: number): number[][] {
  const out: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < classIds.length; i++) {
    const c = classIds[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new InvalidOptionError(`source.classIds[${i}]`, c, `a class id in 0..${numClasses - 1} (numClasses is ${numClasses})`);
    }
    out[c].push(i);
  }
  return out;
}

/** Stratified draw: `perClass` rows of each class, each class from its own child stream `class-c`. */
function drawRows(byClass: number[][], classes: number[], perClass: number | undefined, rng: Rng, source: LabeledSource): number[] {
  const rows: number[] = [];
  for (const c of classes) {
    const pool = byClass[c];
    const take = perClass ?? pool.length;
    if (take > pool.length) {
      throw new InvalidOptionError('perClass', perClass, `at most ${pool.length} (class "${className(source, c)}" has ${pool.length} samples in this split)`);
    }
    const perm = rng.child(`class-${c}`).permutation(pool.length);
    for (let i = 0; i < take; i++) rows.push(pool[perm[i]]);
  }
  return rows;
}

/**
 * Cuts a task from one labeled source: stratified sampling (`perClass` of each class involved),
 * float32 inputs (source values times `scale`, e.g. pixels / 255) and task targets. Deterministic
 * in `seed`; each class is drawn from its own RNG stream, so adding a class to a task does not
 * change which samples the other classes get.
 */
export function makeTask(source: LabeledSource, options: TaskOptions): LabeledData {
  if (!source.classIds) throw new InvalidOptionError('source.classIds', undefined, 'a labeled source (for CSV, set labelColumn)');
  const perClass = options.perClass;
  if (perClass !== undefined && (!Number.isInteger(perClass) || perClass < 1)) {
    throw new InvalidOptionError('perClass', perClass, 'a positive integer');
  }
  const rng = createRng(options.seed);
  const { classes, taskLabel, names } = taskClasses(source, options.task);
  const rows = drawRows(rowsByClass(source.classIds, source.numClasses), classes, perClass, rng, source);
  if (options.shuffle ?? true) {
    const perm = rng.child('order').permutation(rows.length);
    const copy = rows.slice();
    for (let i = 0; i < rows.length; i++) rows[i] = copy[perm[i]];
  } else {
    rows.sort((p, q) => p - q);
  }
  const { d } = source;
  const n = rows.length;
  const scale = source.scale ?? 1;
  const x = new Float32Array(n * d);
  const classIds = new Int32Array(n);
  const index = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const i = rows[r];
    const from = i * d;
    for (let j = 0; j < d; j++) x[r * d + j] = source.x[from + j] * scale;
    classIds[r] = taskLabel(source.classIds[i]);
    index[r] = source.index ? source.index[i] : i;
  }
  const task = options.task;
  const k = task.kind === 'multiclass' ? classes.length : 1;
  const y = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    if (k === 1) y[r] = classIds[r] === 1 ? 1 : -1;
    else if (task.kind === 'multiclass' && task.encoding === 'centered') {
      for (let c = 0; c < k; c++) y[r * k + c] = (c === classIds[r] ? 1 : 0) - 1 / k;
    } else y[r * k + classIds[r]] = 1;
  }
  return { n, d, x, k, targets: y, classIds, index, classNames: names };
}

/**
 * Train and test tasks from the two official splits: the training task is drawn only from
 * `splits.train`, the test task only from `splits.test`, so they never share a sample.
 */
export function makeTaskSplits(
  splits: { train: LabeledSource; test: LabeledSource },
  options: { task: TaskSpec; trainPerClass?: number; testPerClass?: number; seed: number | string; shuffle?: boolean },
): { train: LabeledData; test: LabeledData } {
  if (splits.train === splits.test || splits.train.x === splits.test.x) {
    throw new InvalidOptionError('splits', 'the same source twice', 'separate train and test sources (use splitTrainTest to split one pool)');
  }
  const seed = String(options.seed);
  return {
    train: makeTask(splits.train, { task: options.task, perClass: options.trainPerClass, seed: `${seed}/train`, shuffle: options.shuffle }),
    test: makeTask(splits.test, { task: options.task, perClass: options.testPerClass, seed: `${seed}/test`, shuffle: options.shuffle }),
  };
}
