import { PiktError } from '@pikt/core';
import type { DatasetV1, Split } from '@pikt/core';
import type { ImageSplits } from '@pikt/datasets';

/**
 * A dataset a `--plugin` registered (a DatasetV1, or a factory returning one), read whole into the
 * two splits the task builder cuts a class pair from. Its rows are feature vectors (1 x d "images",
 * so no image reduction applies; PCA and unit norm do). Class ids come from `classIds`, else from the
 * targets (argmax for K > 1, y > 0 for K = 1).
 */
export async function pluginDatasetSplits(id: string, entry: unknown): Promise<ImageSplits> {
  const ds = (typeof entry === 'function' ? await (entry as () => unknown)() : entry) as DatasetV1;
  if (!ds || typeof ds.batches !== 'function' || !ds.spec || typeof ds.spec.inputDim !== 'number') {
    throw new PiktError('PIKT_BAD_PLUGIN', `Dataset "${id}" from a plugin is not a DatasetV1 (it needs spec.inputDim and batches(split)).`,
      'Export datasets as DatasetV1 objects (or factories returning one): { specificationVersion: "v1", id, spec: { inputDim, outputDim, size }, batches(split) }.');
  }
  const d = ds.spec.inputDim;
  const k = ds.spec.outputDim;
  const read = async (split: Split) => {
    const xs: Float32Array[] = [];
    const labels: number[] = [];
    for await (const b of ds.batches(split)) {
      xs.push(b.x);
      for (let i = 0; i < b.n; i++) {
        if (b.classIds) { labels.push(b.classIds[i]); continue; }
        const t = b.targets;
        if (!t) throw new PiktError('PIKT_BAD_PLUGIN', `Dataset "${id}" gives a ${split} batch with neither classIds nor targets.`, 'Give each batch classIds (integer class per row) or targets [n, outputDim].');
        if (k === 1) { labels.push(t[i] > 0 ? 1 : 0); continue; }
        let best = 0;
        for (let j = 1; j < k; j++) if (t[i * k + j] > t[i * k + best]) best = j;
        labels.push(best);
      }
    }
    const x = new Float32Array(labels.length * d);
    let off = 0;
    for (const part of xs) { x.set(part, off); off += part.length; }
    return { x, classIds: Uint8Array.from(labels), n: labels.length, d };
  };
  const [train, test] = [await read('train'), await read('test')];
  const numClasses = ds.spec.classNames?.length ?? Math.max(1, ...train.classIds, ...test.classIds) + 1;
  const set = (s: typeof train) => ({ ...s, rows: 1, cols: d, channels: 1, layout: 'hwc', scale: 1, numClasses, ...(ds.spec.classNames ? { classNames: ds.spec.classNames } : {}) });
  return { train: set(train), test: set(test) } as unknown as ImageSplits;
}
