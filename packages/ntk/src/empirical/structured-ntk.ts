import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, requirePositiveInt } from '@pikt/core';
import { innerProducts, rowCount } from '../kernels/inner-products.js';
import type { KernelMatrix } from '../kernels/analytic-kernel.js';
import { consoleWarning, warnIfNotUnitNorm, type WarningSink } from '../warnings.js';
import { assertFits, DEFAULT_DENSE_BUDGET_BYTES, type RealArray } from '@pikt/linalg';

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
  /** Refuse a float64 result above this many bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
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
 * pattern products run in tfjs (any backend) in blocks over neurons and rows so that no tensor
 * exceeds `blockElements`: n = 5000 or m = 10^5 never build an n x m matrix. Counts of co-active
 * neurons are integers (exact in float32 below 2^24) and are accumulated, like the relu term, in
 * float64; X Y^T is computed in float64. The output-weight signs do not enter (a_r^2 = 1).
 */
export function structuredNtk(x: Points, y: Points | null, w: Points, opts: StructuredNtkOptions): KernelMatrix {
  const steps = structuredNtkSteps(x, y, w, opts);
  try {
    let r = steps.next();
    while (!r.done) r = steps.next(r.value.dataSync() as Float32Array);
    return r.value;
  } catch (err) {
    steps.return(undefined as never); // run the generator's finally blocks: dispose its tensors
    throw err;
  }
}

/**
 * `structuredNtk` reading each block with `await data()`: GPU backends have no fast synchronous
 * read (tfjs-backend-webgpu in Node has none). Same blocks, same float64 accumulation, same result.
 */
export async function structuredNtkAsync(x: Points, y: Points | null, w: Points, opts: StructuredNtkOptions): Promise<KernelMatrix> {
  const steps = structuredNtkSteps(x, y, w, opts);
  try {
    let r = steps.next();
    while (!r.done) r = steps.next(Float32Array.from(await r.value.data()));
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
function* structuredNtkSteps(x: Points, y: Points | null, w: Points, opts: StructuredNtkOptions): Generator<tf.Tensor, KernelMatrix, Float32Array> {
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
  assertFits(`empirical NTK (${n} x ${nc} float64)`, n * nc * (both ? 2 : 1), 8, opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES);
  const limit = opts.blockElements ?? 1 << 22;
  const bm = opts.neuronBlock ?? Math.max(1, Math.min(m, Math.floor(limit / Math.max(n, nc))));
  const bi = opts.rowBlock ?? Math.max(1, Math.min(n, Math.floor(limit / Math.max(nc, bm))));
  requirePositiveInt('neuronBlock', bm);
  requirePositiveInt('rowBlock', bi);

  const counts = new Float64Array(n * nc);
  const relus = both ? new Float64Array(n * nc) : null;
  const xT = tf.tensor2d(xs, [n, d]);
  const yT = same ? xT : tf.tensor2d(ys, [nc, d]);
  try {
    for (let r0 = 0; r0 < m; r0 += bm) {
      const r1 = Math.min(m, r0 + bm);
      // Column side of this neuron block: S_Y^T (and R_Y^T) as [block, nc], transposed explicitly
      // (matMul's transpose flags are 10-50x slower on wasm).
      const wt = tf.tidy(() => tf.transpose(tf.tensor2d(ws.subarray(r0 * d, r1 * d), [r1 - r0, d])) as tf.Tensor2D);
      const sYt = tf.tidy(() => tf.transpose(tf.cast(tf.greaterEqual(tf.matMul(yT, wt), 0), 'float32')) as tf.Tensor2D);
      const rYt = both ? tf.tidy(() => tf.transpose(tf.relu(tf.matMul(yT, wt))) as tf.Tensor2D) : null;
      try {
        for (let i0 = 0; i0 < n; i0 += bi) {
          const i1 = Math.min(n, i0 + bi);
          const [c, rr] = tf.tidy(() => {
            const zX = tf.matMul(tf.slice(xT, [i0, 0], [i1 - i0, d]), wt);
            const sX = tf.cast(tf.greaterEqual(zX, 0), 'float32');
            const out = [tf.matMul(sX, sYt)];
            if (both && rYt) out.push(tf.matMul(tf.relu(zX), rYt));
            return out;
          });
          try { addInto(counts, i0 * nc, yield c); } finally { c.dispose(); }
          if (rr && relus) {
            try { addInto(relus, i0 * nc, yield rr); } finally { rr.dispose(); }
          }
        }
      } finally {
        tf.dispose([sYt, wt, ...(rYt ? [rYt] : [])]);
      }
    }
  } finally {
    xT.dispose();
    if (!same) yT.dispose();
  }
  // X Y^T in float64 from the caller's values (float64 when given so).
  const xg = x instanceof tf.Tensor ? xs : (x as RealArray);
  const yg = same ? null : y instanceof tf.Tensor ? ys : (y as RealArray);
  const ip = innerProducts(xg, yg, { inputDim: d, memoryBudgetBytes: opts.memoryBudgetBytes });
  const data = new Float64Array(n * nc);
  for (let k = 0; k < data.length; k++) data[k] = (ip.g[k] * counts[k] + (relus ? relus[k] : 0)) / m;
  return { rows: n, cols: nc, data };
}

function addInto(acc: Float64Array, offset: number, block: ArrayLike<number>): void {
  for (let k = 0; k < block.length; k++) acc[offset + k] += block[k];
}

function* toArray(what: string, p: Points, d: number): Generator<tf.Tensor, Float32Array, Float32Array> {
  if (p instanceof tf.Tensor) {
    if (p.rank !== 2 || p.shape[1] !== d) throw new ShapeMismatchError(what, `[n, ${d}]`, p.shape);
    return yield p;
  }
  rowCount(what, p as ArrayLike<number>, d);
  return p instanceof Float32Array ? p : Float32Array.from(p as ArrayLike<number>);
}
