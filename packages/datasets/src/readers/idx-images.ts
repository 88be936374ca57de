import { DataFormatError } from '../errors.js';
import { parseIdx, type IdxArray } from './idx.js';
import type { ImageSet } from './image-set.js';
import { readDataFile, type MissingFileHelp } from './bytes.js';

export interface IdxImageFiles {
  /** Path of the images file (IDX rank 3, uint8), plain or .gz. */
  images: string;
  /** Path of the labels file (IDX rank 1, uint8), plain or .gz. */
  labels: string;
}

export interface IdxImageOptions {
  /** Labels must lie in 0..numClasses-1 (default 10). */
  numClasses?: number;
  classNames?: string[];
}

/**
 * Pairs an IDX images array [n, rows, cols] with an IDX labels array [n] (MNIST layout), checking
 * types, ranks, that the counts agree and that every label is below `numClasses`.
 */
export function idxImageSet(images: IdxArray, labels: IdxArray, files: IdxImageFiles, options: IdxImageOptions = {}): ImageSet {
  const numClasses = options.numClasses ?? 10;
  if (images.dtype !== 'uint8' || images.dims.length !== 3) {
    throw new DataFormatError({ file: files.images, offset: 0 }, 'not an IDX image file',
      'uint8 data of rank 3 [n, rows, cols] (magic 0x00000803)', `${images.dtype} data of rank ${images.dims.length}`,
      'Pass the images file as `images` and the labels file as `labels`.');
  }
  if (labels.dtype !== 'uint8' || labels.dims.length !== 1) {
    throw new DataFormatError({ file: files.labels, offset: 0 }, 'not an IDX label file',
      'uint8 data of rank 1 [n] (magic 0x00000801)', `${labels.dtype} data of rank ${labels.dims.length}`,
      'Pass the images file as `images` and the labels file as `labels`.');
  }
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw new DataFormatError({ file: files.labels, offset: 4 }, 'inconsistent counts',
      `${n} labels, one per image in ${files.images}`, `${labels.dims[0]} labels`,
      'The images and labels files belong to different splits or datasets.');
  }
  const y = labels.data as Uint8Array;
  for (let i = 0; i < n; i++) {
    if (y[i] >= numClasses) {
      throw new DataFormatError({ file: files.labels, offset: 8 + i, record: i }, 'label out of range',
        `a class id in 0..${numClasses - 1}`, String(y[i]));
    }
  }
  return {
    n, d: rows * cols, x: images.data as Uint8Array, scale: 1 / 255, classIds: y, numClasses,
    rows, cols, channels: 1, layout: 'hwc', classNames: options.classNames, files: [files.images, files.labels],
  };
}

/** Parses an images/labels pair already in memory (decompressed). */
export function parseIdxImages(imageBytes: Uint8Array, labelBytes: Uint8Array, files: IdxImageFiles, options: IdxImageOptions = {}): ImageSet {
  return idxImageSet(parseIdx(imageBytes, files.images), parseIdx(labelBytes, files.labels), files, options);
}

/** Reads an images/labels IDX pair from disk (plain or gzip, detected from the bytes). Node only. */
export async function readIdxImages(files: IdxImageFiles, options: IdxImageOptions & { help?: MissingFileHelp } = {}): Promise<ImageSet> {
  const help = options.help ?? { dataset: 'IDX images', hint: 'Check the path.' };
  const [imageBytes, labelBytes] = await Promise.all([readDataFile(files.images, help), readDataFile(files.labels, help)]);
  return parseIdxImages(imageBytes, labelBytes, files, options);
}
