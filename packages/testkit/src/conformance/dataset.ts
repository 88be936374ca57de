import { createRng, type Batch, type DatasetV1, type Split } from '@pikt/core';
import { describe, expect, it } from 'vitest';

async function collect(dataset: DatasetV1, split: Split, batchSize?: number, seed?: number): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of dataset.batches(split, { batchSize, rng: seed === undefined ? undefined : createRng(seed) })) out.push(b);
  return out;
}

/**
 * Conformance suite for `DatasetV1`: batches have the sizes the spec declares (x is n * inputDim,
 * targets and teacherLogits are n * outputDim, class ids in range, the split's total equals spec.size), values are finite, batching does not
 * change the data, and shuffling is deterministic in the RNG and a permutation of the data.
 */
export function describeDatasetConformance(makeDataset: () => DatasetV1, options: { batchSize?: number } = {}): void {
  const batchSize = options.batchSize ?? 7;
  describe(`dataset conformance: ${makeDataset().id}`, () => {
    for (const split of ['train', 'test'] as const) {
      it(`${split}: batch shapes and total size match the spec`, async () => {
        const ds = makeDataset();
        const batches = await collect(ds, split, batchSize);
        let total = 0;
        for (const b of batches) {
          expect(b.n).toBeLessThanOrEqual(batchSize);
          expect(b.x.length).toBe(b.n * ds.spec.inputDim);
          expect(b.x.every(Number.isFinite)).toBe(true);
          for (const field of ['targets', 'teacherLogits'] as const) {
            const a = b[field];
            if (a) expect({ field, length: a.length, finite: a.every(Number.isFinite) }).toEqual({ field, length: b.n * ds.spec.outputDim, finite: true });
          }
          if (b.classIds) expect(b.classIds.length).toBe(b.n);
          if (b.classIds && ds.spec.classNames) expect(b.classIds.every((c) => c >= 0 && c < ds.spec.classNames!.length)).toBe(true);
          total += b.n;
        }
        expect(total).toBe(ds.spec.size[split]);
      });
    }
    it('full batch equals the concatenation of small batches', async () => {
      const ds = makeDataset();
      const [full] = await collect(ds, 'train');
      const parts = await collect(ds, 'train', batchSize);
      expect(Array.from(full.x)).toEqual(parts.flatMap((b) => Array.from(b.x)));
    });
    it('shuffling is deterministic in the seed and permutes rows', async () => {
      const ds = makeDataset();
      const rowSums = (bs: Batch[]) => bs.flatMap((b) => Array.from({ length: b.n }, (_, i) =>
        b.x.subarray(i * ds.spec.inputDim, (i + 1) * ds.spec.inputDim).reduce((s, v) => s + v, 0)));
      const a = rowSums(await collect(ds, 'train', batchSize, 11));
      const b = rowSums(await collect(ds, 'train', batchSize, 11));
      const plain = rowSums(await collect(ds, 'train', batchSize));
      expect(a).toEqual(b);
      expect([...a].sort((p, q) => p - q)).toEqual([...plain].sort((p, q) => p - q));
    });
  });
}
