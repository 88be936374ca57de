import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { DataFormatError, DatasetNotFoundError } from '../errors.js';
import { CIFAR10_RECORD_BYTES, encodeCifar10, loadCifar10, parseCifar10 } from './cifar10.js';

/** n random records in the exact binary layout: label byte, then 1024 R, 1024 G, 1024 B bytes. */
function randomBatch(n: number, seed: number): { bytes: Uint8Array; labels: number[]; pixels: Uint8Array } {
  const rng = createRng(seed);
  const bytes = new Uint8Array(n * CIFAR10_RECORD_BYTES);
  const labels: number[] = [];
  const pixels = new Uint8Array(n * 3072);
  for (let i = 0; i < n; i++) {
    const label = rng.int(10);
    labels.push(label);
    bytes[i * CIFAR10_RECORD_BYTES] = label;
    for (let p = 0; p < 3072; p++) {
      const v = rng.int(256);
      bytes[i * CIFAR10_RECORD_BYTES + 1 + p] = v;
      pixels[i * 3072 + p] = v;
    }
  }
  return { bytes, labels, pixels };
}

describe('CIFAR-10 binary batches', () => {
  it('parses generated records: labels, planar RGB layout, and encodeCifar10 restores the exact bytes', () => {
    const { bytes, labels, pixels } = randomBatch(7, 1);
    const set = parseCifar10(bytes, 'gen.bin');
    expect([set.n, set.rows, set.cols, set.channels, set.layout, set.d]).toEqual([7, 32, 32, 3, 'chw', 3072]);
    expect(Array.from(set.classIds)).toEqual(labels);
    expect(Array.from(set.x)).toEqual(Array.from(pixels));
    // Record 2, green plane, row 5, col 9 sits at byte 2 * 3073 + 1 + 1024 + 5 * 32 + 9 of the file.
    expect(set.x[2 * 3072 + 1024 + 5 * 32 + 9]).toBe(bytes[2 * 3073 + 1 + 1024 + 5 * 32 + 9]);
    expect(Array.from(encodeCifar10(set))).toEqual(Array.from(bytes));
  });

  it('a truncated file names the file, the partial record and its offset', () => {
    const { bytes } = randomBatch(3, 2);
    let err: unknown;
    try { parseCifar10(bytes.subarray(0, 2 * 3073 + 100), 'cut.bin'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err).toMatchObject({ file: 'cut.bin', record: 2, offset: 2 * 3073 });
    expect((err as Error).message).toMatch(/^cut\.bin \(record 2, byte offset 6146\): truncated CIFAR-10 record/);
    expect(() => parseCifar10(new Uint8Array(0), 'empty.bin')).toThrow(/empty CIFAR-10 batch/);
  });

  it('a corrupted label byte names the file, the record and its offset', () => {
    const { bytes } = randomBatch(4, 3);
    bytes[3 * 3073] = 10;
    let err: unknown;
    try { parseCifar10(bytes, 'bad.bin'); } catch (e) { err = e; }
    expect(err).toMatchObject({ file: 'bad.bin', record: 3, offset: 9219 });
    expect((err as Error).message).toMatch(/CIFAR-10 label out of range: expected a class id in 0\.\.9, found 10/);
  });

  it('loads a folder (or its cifar-10-batches-bin subfolder) of plain and gzip batches in order', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pikt-cifar-'));
    const dir = join(root, 'cifar-10-batches-bin');
    mkdirSync(dir);
    const batches = [1, 2, 3, 4, 5].map((b) => randomBatch(2, 10 + b));
    batches.forEach((b, i) => writeFileSync(join(dir, `data_batch_${i + 1}.bin`), i === 2 ? gzipSync(b.bytes) : b.bytes));
    const testBatch = randomBatch(3, 20);
    writeFileSync(join(dir, 'test_batch.bin'), testBatch.bytes);
    const { train, test } = await loadCifar10(root);
    expect([train.n, test.n]).toEqual([10, 3]);
    expect(Array.from(train.classIds)).toEqual(batches.flatMap((b) => b.labels));
    expect(Array.from(train.x.subarray(4 * 3072, 6 * 3072))).toEqual(Array.from(batches[2].pixels));
    expect(train.files?.length).toBe(5);
    expect(train.classNames?.[0]).toBe('airplane');
    const two = await loadCifar10(dir, { trainBatches: [2] });
    expect(Array.from(two.train.classIds)).toEqual(batches[1].labels);
  });

  it('a missing batch is a DatasetNotFoundError listing the expected files; a truncated one names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-cifar-'));
    writeFileSync(join(dir, 'data_batch_1.bin'), randomBatch(1, 1).bytes);
    await expect(loadCifar10(dir, { trainBatches: [1] })).rejects.toThrow(DatasetNotFoundError);
    await expect(loadCifar10(dir)).rejects.toThrow(/data_batch_2\.bin does not exist\. Expected data_batch_1\.bin \.\.\. data_batch_5\.bin and test_batch\.bin/);
    writeFileSync(join(dir, 'test_batch.bin'), randomBatch(2, 1).bytes.subarray(0, 4000));
    await expect(loadCifar10(dir, { trainBatches: [1] })).rejects.toThrow(/test_batch\.bin \(record 1, byte offset 3073\): truncated CIFAR-10 record/);
    await expect(loadCifar10(dir, { trainBatches: [] })).rejects.toThrow(/trainBatches/);
  });
});
