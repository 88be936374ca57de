import type { Batch, BatchRequest, DatasetSpec, DatasetV1, Split } from './contracts/dataset.js';
import { InvalidOptionError, ShapeMismatchError } from './errors.js';

type Numbers = ArrayLike<number>;

/**
 * One split as plain row-major arrays; n = x.length / inputDim. Field names follow `Batch`:
 * `targets` are float y [n, outputDim], `classIds` integer class ids [n].
 */
export interface ArraySplit {
  /** [n, inputDim] */
  x: Numbers;
  /** [n, outputDim] */
  targets?: Numbers;
  /** [n] */
  classIds?: Numbers;
  /** [n, outputDim] */
  teacherLogits?: Numbers;
  /** [n, teacherFeatureDim] */
  teacherFeatures?: Numbers;
  teacherFeatureDim?: number;
  /** [n, piDim] */
  pi?: Numbers;
  piDim?: number;
}

export interface ArrayDatasetOptions {
  /** Default 'arrays'. */
  id?: string;
  inputDim: number;
  outputDim: number;
  train: ArraySplit;
  test?: ArraySplit;
  classNames?: string[];
  description?: string;
}

/** Copies rows `rows` of a row-major [*, width] array into a new array of type `Ctor`. */
export function gatherRows<T extends Float32Array | Float64Array | Int32Array>(src: ArrayLike<number>, width: number, rows: ArrayLike<number>, Ctor: new (len: number) => T): T {
  const out = new Ctor(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const from = rows[r] * width;
    for (let j = 0; j < width; j++) out[r * width + j] = src[from + j];
  }
  return out;
}

interface Sized { n: number; split: ArraySplit }

function sizeSplit(name: string, split: ArraySplit, inputDim: number, outputDim: number): Sized {
  if (typeof split !== 'object' || split === null || split.x === undefined || typeof split.x.length !== 'number') {
    throw new InvalidOptionError(name, split, 'an object { x, targets?, classIds?, teacherLogits?, teacherFeatures?, pi? } of row-major arrays');
  }
  const n = split.x.length / inputDim;
  if (!Number.isInteger(n)) throw new ShapeMismatchError(`${name}.x (row-major [n, inputDim], length ${split.x.length})`, `a multiple of inputDim = ${inputDim}`, `length ${split.x.length}`);
  const check = (field: keyof ArraySplit, width: number | undefined, widthName: string) => {
    const a = split[field] as Numbers | undefined;
    if (a === undefined) return;
    if (!Number.isInteger(width) || (width as number) < 1) throw new InvalidOptionError(`${name}.${widthName}`, width, `an integer >= 1 (the width of ${field})`);
    if (typeof a.length !== 'number' || a.length !== n * (width as number)) {
      throw new ShapeMismatchError(`${name}.${field} (row-major [n, ${widthName}])`, [n, width as number], `length ${a?.length}`);
    }
  };
  check('targets', outputDim, 'outputDim');
  check('classIds', 1, 'classIds width');
  check('teacherLogits', outputDim, 'outputDim');
  check('teacherFeatures', split.teacherFeatureDim, 'teacherFeatureDim');
  check('pi', split.piDim, 'piDim');
  return { n, split };
}

function batchOf(s: ArraySplit, rows: ArrayLike<number>, inputDim: number, outputDim: number): Batch {
  const b: Batch = { n: rows.length, x: gatherRows(s.x, inputDim, rows, Float32Array) };
  if (s.targets) b.targets = gatherRows(s.targets, outputDim, rows, Float32Array);
  if (s.classIds) b.classIds = gatherRows(s.classIds, 1, rows, Int32Array);
  if (s.teacherLogits) b.teacherLogits = gatherRows(s.teacherLogits, outputDim, rows, Float32Array);
  if (s.teacherFeatures && s.teacherFeatureDim) {
    b.teacherFeatures = gatherRows(s.teacherFeatures, s.teacherFeatureDim, rows, Float32Array);
    b.teacherFeatureDim = s.teacherFeatureDim;
  }
  if (s.pi && s.piDim) {
    b.pi = gatherRows(s.pi, s.piDim, rows, Float32Array);
    b.piDim = s.piDim;
  }
  return b;
}

/**
 * In-memory arrays as a `DatasetV1`: the way to hand your own arrays to the trainer (or anything else
 * that reads datasets). Shapes are checked here (errors name the split and field); values are checked
 * by the consumer. Batches are float32 copies; with `request.rng` rows come in the order of
 * `rng.permutation(n)`, otherwise in data order; the last batch may be smaller. A missing test split
 * has size 0 and yields no batch.
 *
 * @example
 * const data = datasetFromArrays({ inputDim: 2, outputDim: 1, train: { x: [1, 0, 0, 1], targets: [1, -1] } });
 */
export function datasetFromArrays(options: ArrayDatasetOptions): DatasetV1 {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('datasetFromArrays options', options, 'an object { inputDim, outputDim, train, test? }');
  const { id = 'arrays', inputDim, outputDim } = options;
  if (typeof id !== 'string' || id.length === 0) throw new InvalidOptionError('id', id, 'a non-empty string');
  for (const [f, v] of [['inputDim', inputDim], ['outputDim', outputDim]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InvalidOptionError(f, v, 'an integer >= 1');
  }
  const splits: Partial<Record<Split, Sized>> = { train: sizeSplit('train', options.train, inputDim, outputDim) };
  if (options.test !== undefined) splits.test = sizeSplit('test', options.test, inputDim, outputDim);
  const spec: DatasetSpec = {
    inputDim, outputDim, size: { train: splits.train!.n, test: splits.test?.n ?? 0 },
    ...(options.classNames ? { classNames: [...options.classNames] } : {}),
    ...(options.description ? { description: options.description } : {}),
  };
  return {
    specificationVersion: 'v1',
    id,
    spec,
    async *batches(split: Split, request: BatchRequest = {}): AsyncIterable<Batch> {
      if (split !== 'train' && split !== 'test') throw new InvalidOptionError('split', split, '"train" or "test"');
      const data = splits[split];
      if (!data) return;
      const size = request.batchSize ?? Math.max(1, data.n);
      if (!Number.isInteger(size) || size < 1) throw new InvalidOptionError('batchSize', request.batchSize, 'a positive integer');
      const order = request.rng ? request.rng.permutation(data.n) : Int32Array.from({ length: data.n }, (_, i) => i);
      for (let start = 0; start < data.n; start += size) {
        yield batchOf(data.split, order.subarray(start, Math.min(start + size, data.n)), inputDim, outputDim);
      }
    },
  };
}
