import { InvalidOptionError } from '@pikt/core';
import { DataFormatError, DatasetNotFoundError } from '../errors.js';
import { firstExisting, readDataFile } from './bytes.js';
import type { ImageSet } from './image-set.js';
import type { ImageSplits } from './mnist.js';

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
/** One record of the CIFAR-10 binary version: 1 label byte + 3 * 32 * 32 pixel bytes (R, G, B planes, row-major). */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;
const PIXELS = CIFAR10_RECORD_BYTES - 1;
const HINT = 'Use the "CIFAR-10 binary version" files (data_batch_1.bin ... data_batch_5.bin, test_batch.bin) from '
  + 'https://www.cs.toronto.edu/~kriz/cifar.html, extracted and unmodified.';

/**
 * Parses one CIFAR-10 binary batch (Krizhevsky 2009): records of 3073 bytes, label then the
 * red, green and blue 32x32 planes. The file length must be a whole number of records (a partial
 * last record is an error naming it) and every label must be 0..9.
 */
export function parseCifar10(bytes: Uint8Array, file = '<bytes>'): ImageSet {
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    const record = Math.floor(bytes.length / CIFAR10_RECORD_BYTES);
    throw new DataFormatError({ file, offset: record * CIFAR10_RECORD_BYTES, record }, bytes.length === 0 ? 'empty CIFAR-10 batch' : 'truncated CIFAR-10 record',
      `a whole number (>= 1) of ${CIFAR10_RECORD_BYTES}-byte records`,
      `${bytes.length} bytes (${record} records and ${bytes.length % CIFAR10_RECORD_BYTES} bytes over)`, HINT);
  }
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  const x = new Uint8Array(n * PIXELS);
  const classIds = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * CIFAR10_RECORD_BYTES;
    if (bytes[at] > 9) {
      throw new DataFormatError({ file, offset: at, record: i }, 'CIFAR-10 label out of range', 'a class id in 0..9', String(bytes[at]), HINT);
    }
    classIds[i] = bytes[at];
    x.set(bytes.subarray(at + 1, at + CIFAR10_RECORD_BYTES), i * PIXELS);
  }
  return {
    n, d: PIXELS, x, scale: 1 / 255, classIds, numClasses: 10, classNames: [...CIFAR10_CLASSES],
    rows: 32, cols: 32, channels: 3, layout: 'chw', files: [file],
  };
}

/** Writes images back in the CIFAR-10 binary format (the inverse of parseCifar10). */
export function encodeCifar10(set: Pick<ImageSet, 'n' | 'x' | 'classIds'>): Uint8Array {
  if (set.x.length !== set.n * PIXELS || set.classIds.length !== set.n) {
    throw new DataFormatError({ file: '<encodeCifar10>' }, 'inconsistent image set',
      `${set.n * PIXELS} pixel bytes and ${set.n} labels`, `${set.x.length} pixel bytes and ${set.classIds.length} labels`);
  }
  const out = new Uint8Array(set.n * CIFAR10_RECORD_BYTES);
  for (let i = 0; i < set.n; i++) {
    if (!(set.classIds[i] >= 0 && set.classIds[i] <= 9)) {
      throw new DataFormatError({ file: '<encodeCifar10>', record: i }, 'label out of range', 'a class id in 0..9', String(set.classIds[i]));
    }
    out[i * CIFAR10_RECORD_BYTES] = set.classIds[i];
    out.set(set.x.subarray(i * PIXELS, (i + 1) * PIXELS), i * CIFAR10_RECORD_BYTES + 1);
  }
  return out;
}

function concat(sets: ImageSet[]): ImageSet {
  const n = sets.reduce((s, t) => s + t.n, 0);
  const x = new Uint8Array(n * PIXELS);
  const classIds = new Uint8Array(n);
  let at = 0;
  for (const s of sets) {
    x.set(s.x, at * PIXELS);
    classIds.set(s.classIds, at);
    at += s.n;
  }
  return { ...sets[0], n, x, classIds, files: sets.flatMap((s) => s.files ?? []) };
}

/**
 * Reads CIFAR-10 from a folder the user supplies: `data_batch_1.bin` ... `data_batch_5.bin` (train)
 * and `test_batch.bin` (test), each plain or `.gz`; the folder itself or its `cifar-10-batches-bin`
 * subfolder. Node only. A missing file raises DatasetNotFoundError listing what is expected.
 */
export async function loadCifar10(dir: string, options: { trainBatches?: number[] } = {}): Promise<ImageSplits> {
  const { join } = await import('node:path');
  const base = (await firstExisting([join(dir, 'cifar-10-batches-bin', 'test_batch.bin'), join(dir, 'cifar-10-batches-bin', 'test_batch.bin.gz')]))
    ? join(dir, 'cifar-10-batches-bin') : dir;
  const help = { dataset: 'CIFAR-10', hint: `Expected data_batch_1.bin ... data_batch_5.bin and test_batch.bin in the folder. ${HINT}` };
  const read = async (stem: string): Promise<ImageSet> => {
    const path = await firstExisting([join(base, stem), join(base, `${stem}.gz`)]);
    if (path === undefined) throw new DatasetNotFoundError(help.dataset, join(base, stem), help.hint);
    return parseCifar10(await readDataFile(path, help), path);
  };
  const batches = options.trainBatches ?? [1, 2, 3, 4, 5];
  if (batches.length === 0 || batches.some((b) => !Number.isInteger(b) || b < 1 || b > 5)) {
    throw new InvalidOptionError('trainBatches', batches, 'a non-empty list of batch numbers in 1..5');
  }
  // One file at a time: the first missing or corrupt batch in order is the one reported (with
  // Promise.all the error named whichever failure happened to settle first).
  const parts: ImageSet[] = [];
  for (const b of batches) parts.push(await read(`data_batch_${b}.bin`));
  const train = concat(parts);
  const test = await read('test_batch.bin');
  return { train, test };
}
