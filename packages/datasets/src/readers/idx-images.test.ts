import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { encodeIdx } from './idx.js';
import { parseIdxImages, readIdxImages } from './idx-images.js';

const files = { images: 'imgs', labels: 'labs' };
const images = encodeIdx({ dtype: 'uint8', dims: [3, 2, 2], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) });
const labels = encodeIdx({ dtype: 'uint8', dims: [3], data: Uint8Array.from([4, 0, 9]) });

describe('IDX image/label pairs', () => {
  it('pairs images with labels: n, rows, cols, pixels, scale 1/255', () => {
    const set = parseIdxImages(images, labels, files);
    expect([set.n, set.rows, set.cols, set.channels, set.d, set.numClasses]).toEqual([3, 2, 2, 1, 4, 10]);
    expect(Array.from(set.classIds)).toEqual([4, 0, 9]);
    expect(Array.from(set.x.subarray(4, 8))).toEqual([80, 100, 120, 140]);
    expect(set.scale).toBe(1 / 255);
    expect(set.files).toEqual(['imgs', 'labs']);
  });

  it('a label out of range names the labels file, the record and its byte offset', () => {
    const err = (() => { try { parseIdxImages(images, labels, files, { numClasses: 5 }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err).toMatchObject({ file: 'labs', record: 2, offset: 10 });
    expect((err as Error).message).toMatch(/label out of range: expected a class id in 0\.\.4, found 9/);
  });

  it('inconsistent counts and swapped files are errors, never a shorter dataset', () => {
    const twoLabels = encodeIdx({ dtype: 'uint8', dims: [2], data: Uint8Array.from([1, 2]) });
    expect(() => parseIdxImages(images, twoLabels, files)).toThrow(/labs \(byte offset 4\): inconsistent counts: expected 3 labels, one per image in imgs, found 2 labels/);
    expect(() => parseIdxImages(labels, images, files)).toThrow(/imgs \(byte offset 0\): not an IDX image file/);
    expect(() => parseIdxImages(images, images, files)).toThrow(/labs \(byte offset 0\): not an IDX label file/);
  });

  it('reads a gzip pair from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-idx-'));
    writeFileSync(join(dir, 'i.gz'), gzipSync(images));
    writeFileSync(join(dir, 'l'), labels);
    const set = await readIdxImages({ images: join(dir, 'i.gz'), labels: join(dir, 'l') });
    expect(Array.from(set.x)).toEqual(Array.from(images.subarray(16)));
  });
});
