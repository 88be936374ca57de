import { existsSync, statSync } from 'node:fs';
import { PiktError } from '@pikt/core';
import { downsample, grayscale, makeTaskSplits, pca, pipeline, unitNorm } from '@pikt/datasets';
import type { ImageSplits, TransformV1 } from '@pikt/datasets';
import { BUILTIN_DATASETS, createCliRegistries } from '../registries.js';

export const DATASETS = BUILTIN_DATASETS;
export type DatasetName = (typeof DATASETS)[number];

/** Which data and how it is reduced: JSON, part of results.json's config. */
export interface TaskConfig {
  dataset: DatasetName;
  /** Folder with the dataset's files; default: the installed package (MNIST, Fashion-MNIST). */
  dataDir?: string;
  /** The binary class pair: the first class gets y = -1, the second y = +1. */
  classes: [number, number];
  trainPerClass: number;
  testPerClass: number;
  /** Samples per class of the teacher's own training pool, disjoint from the student's samples. */
  teacherPerClass: number;
  /** Inputs are reduced to this many principal components (fitted on the training set), then unit-normalized. */
  pcaDim: number;
  seed: number;
}

/**
 * A binary task ready for the kernel analysis: rows of x have unit norm (SCIENCE.md section 1),
 * targets are +-1, everything in float64. Train and test never share a sample.
 */
export interface PreparedTask {
  n: number;
  d: number;
  x: Float64Array;
  y: Float64Array;
  nTest: number;
  xTest: Float64Array;
  yTest: Float64Array;
  /** The teacher's training pool (same reductions), disjoint from train and test. */
  nTeacher: number;
  xTeacher: Float64Array;
  yTeacher: Float64Array;
  classNames: [string, string];
  /** In words: dataset, classes, sizes, reductions. */
  description: string;
}

/** Fails early, with the path, when a data folder was given but is not there. */
export function checkDataDir(dataDir: string | undefined): void {
  if (dataDir === undefined) return;
  if (!existsSync(dataDir)) {
    throw new PiktError('PIKT_DATA_DIR', `Data directory ${dataDir} does not exist.`,
      'Pass --data-dir with the folder holding the dataset files, or leave it out to use the installed MNIST.');
  }
  if (!statSync(dataDir).isDirectory()) {
    throw new PiktError('PIKT_DATA_DIR', `Data path ${dataDir} is a file, not a directory.`, 'Pass the folder that holds the dataset files.');
  }
}

async function loadSplits(cfg: TaskConfig): Promise<ImageSplits> {
  checkDataDir(cfg.dataDir);
  // Through the registry, like every other plugin kind (a plugin's data set loads the same way).
  return createCliRegistries().datasets.get(cfg.dataset)({ ...(cfg.dataDir ? { dataDir: cfg.dataDir } : {}) });
}

/** Image reductions before PCA: 2x2 block means for 28x28 images, grayscale + 2x2 for CIFAR-10. */
function imageReduction(splits: ImageSplits): { steps: TransformV1[]; words: string } {
  const { rows, cols, channels, layout } = splits.train;
  const steps: TransformV1[] = [];
  let words = '';
  let r = rows;
  let c = cols;
  if (channels > 1) {
    steps.push(grayscale({ rows, cols, layout }) as unknown as TransformV1);
    words += 'grayscale, ';
  }
  if (r % 2 === 0 && c % 2 === 0 && r >= 28) {
    steps.push(downsample({ rows: r, cols: c, factor: 2 }) as unknown as TransformV1);
    words += `downsampled ${r}x${c} -> ${r / 2}x${c / 2}, `;
    r /= 2;
    c /= 2;
  }
  return { steps, words };
}

/**
 * Load the dataset, cut the class pair (stratified, seeded), reduce (image downsampling, PCA to
 * `pcaDim`, fitted on training rows only) and unit-normalize, in float64.
 */
export async function prepareTask(cfg: TaskConfig): Promise<PreparedTask> {
  const splits = await loadSplits(cfg);
  const { train: pool, test } = makeTaskSplits(splits, {
    task: { kind: 'pair', classes: cfg.classes }, trainPerClass: cfg.trainPerClass + cfg.teacherPerClass, testPerClass: cfg.testPerClass, seed: cfg.seed,
  });
  // Stratified cut of the (seeded, shuffled) pool: per class, the first trainPerClass rows go to the
  // student, the rest to the teacher, so the teacher's outputs on the student's inputs are predictions.
  const seen = [0, 0];
  const studentRows: number[] = [];
  const teacherRows: number[] = [];
  for (let i = 0; i < pool.n; i++) {
    const c = pool.targets[i] > 0 ? 1 : 0;
    (seen[c]++ < cfg.trainPerClass ? studentRows : teacherRows).push(i);
  }
  const rows = (idx: number[]) => {
    const x = new Float64Array(idx.length * pool.d);
    idx.forEach((r, i) => x.set(pool.x.subarray(r * pool.d, (r + 1) * pool.d), i * pool.d));
    return { x, y: Float64Array.from(idx, (r) => pool.targets[r]), n: idx.length };
  };
  const train = rows(studentRows);
  const teach = rows(teacherRows);
  const reduction = imageReduction(splits);
  const transform = pipeline([...reduction.steps, pca({ k: cfg.pcaDim }) as unknown as TransformV1, unitNorm() as unknown as TransformV1]);
  transform.fit({ x: train.x, n: train.n, d: pool.d });
  const tx = transform.apply({ x: train.x, n: train.n, d: pool.d });
  const te = transform.apply({ x: Float64Array.from(test.x), n: test.n, d: test.d });
  const tt = transform.apply({ x: teach.x, n: teach.n, d: pool.d });
  const names = (pool.classNames ?? cfg.classes.map(String)) as [string, string];
  return {
    n: train.n, d: tx.d, x: tx.x, y: train.y,
    nTest: test.n, xTest: te.x, yTest: Float64Array.from(test.targets),
    nTeacher: teach.n, xTeacher: tt.x, yTeacher: teach.y,
    classNames: [names[0], names[1]],
    description: `${cfg.dataset} classes ${names[0]} (y = -1) vs ${names[1]} (y = +1): ${train.n} student training samples, ${test.n} test samples `
      + `and a disjoint pool of ${teach.n} samples for the teachers (${cfg.trainPerClass}, ${cfg.testPerClass} and ${cfg.teacherPerClass} per class, seed ${cfg.seed}); `
      + `inputs ${reduction.words}PCA to ${tx.d} dimensions (fitted on the student's training samples), unit-normalized`,
  };
}
