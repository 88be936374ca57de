import { gzipSync } from 'node:zlib';
import { PiktError } from '@pikt/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maybeGunzip } from './bytes.js';
import { encodeCifar10, parseCifar10 } from './cifar10.js';
import { parseCsv, type CsvTable } from './csv.js';
import { encodeIdx, parseIdx, type IdxArray } from './idx.js';
import { parseIdxImages } from './idx-images.js';
import type { ImageSet } from './image-set.js';

/**
 * Property: every reader, fed random bytes or mutations of a valid file (bytes overwritten,
 * truncated, extended), either returns a well-formed dataset or throws a typed PiktError, quickly.
 * A TypeError/RangeError, a hang or an inconsistent result fails the property.
 */
const RUNS = 300;

function wellFormedIdx(a: IdxArray): boolean {
  const count = a.dims.reduce((p, q) => p * q, 1);
  return a.data.length === count && (a.dtype.startsWith('float') ? Array.from(a.data).every(Number.isFinite) : true);
}

function wellFormedImages(s: ImageSet): boolean {
  return s.d === s.rows * s.cols * s.channels && s.x.length === s.n * s.d && s.classIds.length === s.n
    && s.classIds.every((l) => l < s.numClasses);
}

function wellFormedCsv(t: CsvTable): boolean {
  return t.n >= 1 && t.d >= 1 && t.x.length === t.n * t.d && t.x.every(Number.isFinite) && t.columns.length === t.d
    && (t.classIds === undefined || (t.classIds.length === t.n && t.classIds.every((l) => l >= 0 && l < t.numClasses)));
}

/** Runs `read`; true when it returned something well-formed or threw a PiktError, false otherwise. */
async function behaves<T>(read: () => T | Promise<T>, ok: (v: T) => boolean): Promise<boolean> {
  let value: T;
  try {
    value = await read();
  } catch (err) {
    if (err instanceof PiktError) return true;
    throw err; // surfaces the untyped error in the counterexample
  }
  return ok(value);
}

const mutation = fc.record({
  edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
  extra: fc.uint8Array({ maxLength: 8 }),
});

function mutate(base: Uint8Array, m: { edits: [number, number][]; cut?: number; extra: Uint8Array }): Uint8Array {
  const out = base.slice();
  for (const [pos, v] of m.edits) if (out.length > 0) out[pos % out.length] = v;
  const kept = m.cut === undefined ? out : out.subarray(0, m.cut % (out.length + 1));
  const grown = new Uint8Array(kept.length + m.extra.length);
  grown.set(kept);
  grown.set(m.extra, kept.length);
  return grown;
}

const idxImages = encodeIdx({ dtype: 'uint8', dims: [3, 2, 2], data: Uint8Array.from({ length: 12 }, (_, i) => i) });
const idxLabels = encodeIdx({ dtype: 'uint8', dims: [3], data: Uint8Array.from([1, 9, 0]) });
const idxFloats = encodeIdx({ dtype: 'float32', dims: [2, 2], data: Float32Array.from([0.5, -1, 2, 3]) });
const cifar = encodeCifar10({ n: 2, x: Uint8Array.from({ length: 6144 }, (_, i) => i % 251), classIds: Uint8Array.from([3, 9]) });
const csvBytes = new TextEncoder().encode('a,b,label\n1,2.5,cat\n-3,4e-2,dog\n');
const gzIdx = new Uint8Array(gzipSync(idxImages));
const files = { images: 'img', labels: 'lab' };

const readers: Record<string, (b: Uint8Array) => Promise<boolean>> = {
  idx: (b) => behaves(() => parseIdx(b, 'f'), wellFormedIdx),
  'idx image+label pair (images fuzzed)': (b) => behaves(() => parseIdxImages(b, idxLabels, files), wellFormedImages),
  'idx image+label pair (labels fuzzed)': (b) => behaves(() => parseIdxImages(idxImages, b, files), wellFormedImages),
  cifar10: (b) => behaves(() => parseCifar10(b, 'f'), wellFormedImages),
  csv: (b) => behaves(() => parseCsv(new TextDecoder().decode(b), { labelColumn: -1 }), wellFormedCsv),
  'gzip + idx': (b) => behaves(async () => parseIdx(await maybeGunzip(b, 'f', 1 << 20), 'f'), wellFormedIdx),
};
const validOf: Record<string, Uint8Array> = {
  idx: idxFloats,
  'idx image+label pair (images fuzzed)': idxImages,
  'idx image+label pair (labels fuzzed)': idxLabels,
  cifar10: cifar,
  csv: csvBytes,
  'gzip + idx': gzIdx,
};

describe('reader fuzzing (fast-check)', () => {
  for (const [name, read] of Object.entries(readers)) {
    it(`${name}: valid input parses`, async () => {
      expect(await read(validOf[name])).toBe(true);
    });
    it(`${name}: random bytes give a dataset or a typed error`, async () => {
      await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), read), { numRuns: RUNS, seed: 42 });
    }, 30_000);
    it(`${name}: mutated valid files give a dataset or a typed error`, async () => {
      await fc.assert(fc.asyncProperty(mutation, (m) => read(mutate(validOf[name], m))), { numRuns: RUNS, seed: 7 });
    }, 30_000);
  }

  it('csv: random text over the CSV alphabet gives a table or a typed error', () => {
    const text = fc.string({ unit: fc.constantFrom('0', '1', '.', 'e', '-', '+', ',', '"', '\n', '\r', ' ', 'a', 'N', 'I'), maxLength: 60 });
    fc.assert(fc.property(text, fc.constantFrom(null, 0, -1), (t, labelColumn) => {
      try {
        return wellFormedCsv(parseCsv(t, { labelColumn }));
      } catch (err) {
        if (err instanceof PiktError) return true;
        throw err;
      }
    }), { numRuns: 1000, seed: 3 });
  });

  it('a header declaring 2^32 - 1 images of 2^32 - 1 pixels is rejected without allocating', () => {
    const hostile = Uint8Array.from([0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 1, 7]);
    expect(() => parseIdx(hostile)).toThrow(/truncated IDX data/);
  });
});
