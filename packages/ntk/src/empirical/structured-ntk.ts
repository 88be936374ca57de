import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, requirePositiveInt } from '@pikt/core';
import { rowCount } from '../kernels/inner-products.js';
import type { KernelMatrix } from '../kernels/analytic-kernel.js';
import { consoleWarning, warnIfNotUnitNorm, type WarningSink } from '../warnings.js';
import { assertFits, createPopcountGram, DEFAULT_DENSE_BUDGET_BYTES, gramF64, requireFinite, type PopcountKernelKind, type RealArray } from '@pikt/linalg';
import { hostReader } from './sync-read.js';
import { packPatternSteps, type Steps } from './pattern-steps.js';

export interface StructuredNtkOptions {
  inputDim: number;
  /** 'first' (default): the NTK of W; 'both': plus the second layer's term (1/m) sum_r relu(w_r.x) relu(w_r.x'). */
  trainLayers?: 'first' | 'both';
  /** Neurons per block (default: as many as keep each tensor under `blockElements`). */
  neuronBlock?: number;
  /** Rows (points of the first set) per block (default likewise). */
  rowBlock?: number;
  /** Largest number of float32 elements in one intermediate tensor (default 2^22 = 16 MiB). */
  blockElements?: number;
  /** Refuse a float64 result (and the packed patterns) above this many bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
  /** Co-activation kernel: 'auto' (default: wasm SIMD where the runtime has it), or one forced. */
  popcountKernel?: 'auto' | PopcountKernelKind;
  /** Where the not-unit-norm warning goes (default console.warn); the kernel itself is exact for any norm. */
  onWarning?: WarningSink;
}

type Points = RealArray | tf.Tensor2D;

/**
 * Empirical NTK of the two-layer student at its current first layer W [m, d] (row r is w_r), per output
 * (SCIENCE.md section 3), with no Jacobian:
 *
 *     H(W) = (X Y^T) .* (S_X S_Y^T) / m,        S = 1{X W^T >= 0}  (0/1 activation patterns)
 *     [+ (R_X R_Y^T) / m,  R = relu(X W^T)      when both layers train]
 *
 * Rows are the points of `x`, columns those of `y` (null: `x` itself, the train-train Gram). The
 * pre-activations X W^T are a float GEMM in tfjs (any backend), in blocks over neurons and rows
 * so that no tensor exceeds `blockElements` (n = 5000 or m = 10^5 never build an n x m matrix);
 * their signs are bit-packed (m/8 bytes a row) and S_X S_Y^T is counted exactly by popcount of
 * ANDs in wasm (`createPopcountGram`, @pikt/linalg), symmetric Grams on the lower triangle only.
 * X Y^T is float64 (`gramF64`, SIMD tiles); the relu term is a float32 GEMM accumulated in float64. The output-weight
 * signs do not enter (a_r^2 = 1).
 *
 * Synchronous: meant for the cpu and wasm backends (each block is read with a synchronous copy);
 * on webgpu it throws SyncReadUnavailableError and on webgl it stalls per block (said once): use
 * `structuredNtkAsync` on GPU backends.
 */
export function structuredNtk(x: Points, y: Points | null, w: Points, opts: StructuredNtkOptions): KernelMatrix {
  const read = hostReader('structuredNtk', 'structuredNtkAsync');
  return runSync(structuredNtkSteps(x, y, w, opts), read);
}

/**
 * `structuredNtk` reading each block with `await data()`: GPU backends have no fast synchronous
 * read (tfjs-backend-webgpu in Node has none). Same blocks, same float64 accumulation, same result.
 */
export async function structuredNtkAsync(x: Points, y: Points | null, w: Points, opts: StructuredNtkOptions): Promise<KernelMatrix> {
  return runAsync(structuredNtkSteps(x, y, w, opts));
}

/** Drive a step generator with a synchronous reader, running its finally blocks on error. */
export function runSync<T>(steps: Steps<T>, read: (t: tf.Tensor) => ArrayLike<number>): T {
  try {
    let r = steps.next();
    while (!r.done) r = steps.next(read(r.value));
    return r.value;
  } catch (err) {
    steps.return(undefined as never); // run the generator's finally blocks: dispose its tensors
    throw err;
  }
}

/** Drive a step generator with `await data()`. */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  try {
    let r = steps.next();
    while (!r.done) r = steps.next(await r.value.data());
    return r.value;
  } catch (err) {
    steps.return(undefined as never);
    throw err;
  }
}

/**
 * The computation of `structuredNtk` as a generator: it yields each tensor whose values it needs
 * and is resumed with them, so one body serves the synchronous and the asynchronous reader. It
 * disposes what it creates (a yielded input tensor is the caller's and stays alive).
 */
function* structuredNtkSteps(x: Points, y: Points | null, w: Points, opts: StructuredNtkOptions): Steps<KernelMatrix> {
  const d = opts.inputDim;
  requirePositiveInt('inputDim', d);
  const both = (opts.trainLayers ?? 'first') === 'both';
  if (!['first', 'both'].includes(opts.trainLayers ?? 'first')) throw new InvalidOptionError('trainLayers', opts.trainLayers, "'first' or 'both'");
  const xs = yield* toArray('x', x, d);
  const same = y === null || y === x;
  const ys = same ? xs : yield* toArray('y', y as Points, d);
  const ws = yield* toArray('w (first layer, [m, inputDim])', w, d);
  const sink = opts.onWarning ?? consoleWarning;
  warnIfNotUnitNorm('empirical NTK inputs', xs, d, sink);
  if (!same) warnIfNotUnitNorm('empirical NTK inputs (second set)', ys, d, sink);
  const n = xs.length / d;
  const nc = ys.length / d;
  const m = ws.length / d;
  if (m === 0) throw new InvalidOptionError('w', 'no neurons', 'a first layer with at least one neuron');
  const budget = opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES;
  assertFits(`empirical NTK (${n} x ${nc} float64)`, n * nc * (both ? 2 : 1), 8, budget);
  const limit = opts.blockElements ?? 1 << 22;
  // The relu term multiplies [rows, block] by [block, nc]; the patterns alone need only [rows, block]
  // (blocks of whole 32-bit words pack fastest).
  const wide = both ? Math.max(n, nc) : Math.min(Math.max(n, nc), 2048);
  const fit = Math.max(1, Math.min(m, Math.floor(limit / wide)));
  const bm = opts.neuronBlock ?? (fit < m && fit >= 32 ? fit - (fit % 32) : fit);
  const bi = opts.rowBlock ?? Math.max(1, Math.min(Math.max(n, nc), Math.floor(limit / Math.max(both ? nc : 1, bm))));
  requirePositiveInt('neuronBlock', bm);
  requirePositiveInt('rowBlock', bi);

  const gram = createPopcountGram({ rows: n, cols: same ? null : nc, bits: m, kernel: opts.popcountKernel, memoryBudgetBytes: budget });
  const relus = both ? new Float64Array(n * nc) : null;
  const xT = tf.tensor2d(xs, [n, d]);
  const yT = same ? xT : tf.tensor2d(ys, [nc, d]);
  try {
    for (let r0 = 0; r0 < m; r0 += bm) {
      const r1 = Math.min(m, r0 + bm);
      // W^T of this neuron block, transposed explicitly (matMul's transpose flags are 10-50x slower on wasm).
      const wt = tf.tidy(() => tf.transpose(tf.tensor2d(ws.subarray(r0 * d, r1 * d), [r1 - r0, d])) as tf.Tensor2D);
      const rYt = both ? tf.tidy(() => tf.transpose(tf.relu(tf.matMul(yT, wt))) as tf.Tensor2D) : null;
      try {
        yield* packPatternSteps(xT, wt, gram.a, r0, bi, rYt && relus ? (i0, zX) => relusSteps(relus, i0 * nc, zX, rYt) : undefined);
        if (!same) yield* packPatternSteps(yT, wt, gram.b, r0, bi);
      } finally {
        tf.dispose([wt, ...(rYt ? [rYt] : [])]);
      }
    }
  } finally {
    xT.dispose();
    if (!same) yT.dispose();
  }
  // X Y^T in float64 from the caller's values (float64 when given so).
  const xg = x instanceof tf.Tensor ? xs : (x as RealArray);
  const yg = same ? null : y instanceof tf.Tensor ? ys : (y as RealArray);
  requireFinite('x', xg);
  if (yg) requireFinite('y', yg);
  const g = gramF64(xg, yg, { inputDim: d, memoryBudgetBytes: opts.memoryBudgetBytes });
  const data = new Float64Array(n * nc);
  const rel = relus ?? new Float64Array(0);
  gram.run((i0, i1, counts, ld) => {
    for (let i = i0; i < i1; i++) {
      const o = (i - i0) * ld;
      if (!same) {
        for (let j = 0; j < nc; j++) data[i * nc + j] = (g[i * nc + j] * counts[o + j] + (relus ? rel[i * nc + j] : 0)) / m;
        continue;
      }
      // Counts are symmetric (exact integers): one count serves (i, j) and (j, i).
      for (let j = 0; j <= i; j++) {
        const c = counts[o + j];
        data[i * n + j] = (g[i * n + j] * c + (relus ? rel[i * n + j] : 0)) / m;
        data[j * n + i] = (g[j * n + i] * c + (relus ? rel[j * n + i] : 0)) / m;
      }
    }
  });
  return { rows: n, cols: nc, data };
}

/** The relu term of one row block: acc[offset..] += relu(Z_X) R_Y^T (float32 GEMM, float64 sum). */
function* relusSteps(acc: Float64Array, offset: number, zX: tf.Tensor2D, rYt: tf.Tensor2D): Steps<void> {
  const rr = tf.tidy(() => tf.matMul(tf.relu(zX), rYt));
  try {
    const block = yield rr;
    for (let k = 0; k < block.length; k++) acc[offset + k] += block[k];
  } finally {
    rr.dispose();
  }
}

function* toArray(what: string, p: Points, d: number): Generator<tf.Tensor, Float32Array, ArrayLike<number>> {
  if (p instanceof tf.Tensor) {
    if (p.rank !== 2 || p.shape[1] !== d) throw new ShapeMismatchError(what, `[n, ${d}]`, p.shape);
    const v = yield p;
    return v instanceof Float32Array ? v : Float32Array.from(v);
  }
  rowCount(what, p as ArrayLike<number>, d);
  return p instanceof Float32Array ? p : Float32Array.from(p as ArrayLike<number>);
}


