import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, requirePositiveInt } from '@pikt/core';
import { assertFits, clearPatterns, createPopcountGram, DEFAULT_DENSE_BUDGET_BYTES, gramF64, packMask, packNeuronMajor, requireFinite, packSigns, type PopcountGram, type RealArray } from '@pikt/linalg';
import { rowCount } from '../kernels/inner-products.js';
import { consoleWarning, warnIfNotUnitNorm } from '../warnings.js';
import { createCountDelta } from './count-delta.js';
import { wasmHeapView } from './host-view.js';
import { packPatternSteps, type Steps } from './pattern-steps.js';
import { runAsync, type StructuredNtkOptions } from './structured-ntk.js';

/**
 * Kernel drift during training without another GEMM (SCIENCE.md P8):
 *
 *     drift(k) = ||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F,   H(W) = (X X^T) .* (S S^T) / m,  S = 1{X W^T >= 0},
 *
 * for the first-layer NTK. X X^T (float64) and H(W(0)) are computed once; each later call takes
 * the patterns the training step's own forward pass produced (its pre-activations Z = X W(k)^T,
 * or its 0/1 mask), bit-packs them and counts S S^T by popcount: no X W^T product and no n x n
 * allocation per call (the sum is streamed over the lower triangle). Neuron-major blocks (the wide
 * student's masks, as the trainer's `kernelDrift` passes them) are compared with the previous
 * call's patterns instead: D = S S^T - S_0 S_0^T is updated from the flipped entries alone
 * (count-delta.ts, exact integers, O(flips x n)), recounted by popcount only when many flipped.
 */
export interface KernelDriftTracker {
  readonly rows: number;
  readonly neurons: number;
  /** H(W(0)), row-major n x n float64. */
  readonly h0: Float64Array;
  /** Drift from the step's pre-activations Z = X W(k)^T, row-major [n, m] (s = 1{z >= 0}). */
  fromPreactivations(z: ArrayLike<number>): number;
  /** Drift from a 0/1 (or bool) mask [n, m], e.g. the forward pass's 1{X W^T > 0} (differs from >= 0 only at exact zeros). */
  fromMask(mask: ArrayLike<number>): number;
  /** `fromPreactivations` (float32 tensor) or `fromMask` (bool/int32 tensor) for a tensor [n, m], read with await data() (on wasm, float32 in place). */
  fromTensor(t: tf.Tensor2D): Promise<number>;
  /**
   * The same for consecutive neuron blocks [n, b_1], [n, b_2], ... (b_1 + b_2 + ... = m), or
   * neuron-major [b_q, n] with `layout: 'neurons-major'`, as a blocked forward pass holds them (the
   * wide student's forward keeps float32 step masks 1{W_b X^T > 0} of [b, n]: pass `values: 'mask'`).
   */
  fromTensorBlocks(blocks: readonly tf.Tensor2D[], how?: PatternBlocks): Promise<number>;
  /** Drift at first layer W(k) [m, d] when no forward pass is at hand (one X W^T GEMM in tfjs, blocked). */
  fromWeights(w: RealArray | tf.Tensor2D): Promise<number>;
}

/** How pattern blocks are laid out and what their values mean (default: points-major; float32 = pre-activations, else a mask). */
export interface PatternBlocks {
  layout?: 'points-major' | 'neurons-major';
  values?: 'preactivations' | 'mask';
}

/**
 * A tracker of drift(k) = ||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F for the points `x` [n, d] from the
 * first layer W(0) [m, d]: X X^T (float64) and H(W(0)) now, each drift later from the step's own
 * patterns. First layer only ('both' adds a relu GEMM per call: use kernelDriftFromWeights).
 * Memory: two n x n float64 and two n x n int32 matrices and the packed patterns (2-3 n m / 8 bytes), checked up front.
 */
export async function createKernelDriftTracker(x: RealArray, w0: RealArray | tf.Tensor2D, opts: StructuredNtkOptions): Promise<KernelDriftTracker> {
  const d = opts.inputDim;
  requirePositiveInt('inputDim', d);
  if ((opts.trainLayers ?? 'first') !== 'first') {
    throw new InvalidOptionError('trainLayers', opts.trainLayers, "'first' (the relu term of 'both' is itself a GEMM: use kernelDriftFromWeights)", { owner: 'createKernelDriftTracker' });
  }
  const n = rowCount('x', x, d);
  warnIfNotUnitNorm('kernel drift inputs', x, d, opts.onWarning ?? consoleWarning);
  const m = w0 instanceof tf.Tensor ? w0.shape[0] : rowCount('w0 (first layer, [m, inputDim])', w0, d);
  if (w0 instanceof tf.Tensor && (w0.rank !== 2 || w0.shape[1] !== d)) throw new ShapeMismatchError('w0 (first layer)', `[m, ${d}]`, w0.shape);
  const budget = opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES;
  assertFits(`kernel drift: X X^T and H(W(0)) (${n} x ${n} float64 each), S_0 S_0^T and its change (int32)`, 3 * n * n, 8, budget);
  requireFinite('x', x);
  const g = gramF64(x, null, { inputDim: d, memoryBudgetBytes: budget });
  const gram = createPopcountGram({ rows: n, cols: null, bits: m, kernel: opts.popcountKernel, memoryBudgetBytes: budget });
  const h0 = new Float64Array(n * n);
  const c0 = new Int32Array(n * n); // S_0 S_0^T, lower triangle
  const xs = Float32Array.from(x as ArrayLike<number>);

  const delta = createCountDelta(n, m, c0);
  // Packs the signs of X W^T into the popcount side and, neuron-major, into the delta's next patterns.
  const packFromWeights = async (w: RealArray | tf.Tensor2D): Promise<void> => {
    if (w instanceof tf.Tensor ? w.rank !== 2 || w.shape[0] !== m || w.shape[1] !== d : rowCount('w (first layer)', w, d) !== m) {
      throw new ShapeMismatchError('w (first layer, as W(0))', [m, d], w instanceof tf.Tensor ? w.shape : [w.length / d, d]);
    }
    clearPatterns(gram.a);
    const ws = w instanceof tf.Tensor ? null : Float32Array.from(w as ArrayLike<number>);
    const limit = opts.blockElements ?? 1 << 22;
    const bm = Math.min(m, 2048); // whole 32-bit words per block: packing stays word-aligned
    const xT = tf.tensor2d(xs, [n, d]);
    try {
      for (let r0 = 0; r0 < m; r0 += bm) {
        const r1 = Math.min(m, r0 + bm);
        const wt = tf.tidy(() => tf.transpose(ws ? tf.tensor2d(ws.subarray(r0 * d, r1 * d), [r1 - r0, d]) : tf.slice(w as tf.Tensor2D, [r0, 0], [r1 - r0, d])) as tf.Tensor2D);
        try {
          const toDelta = function* (i0: number, z: tf.Tensor2D): Steps<void> {
            delta.packPointsMajor(yield z, z.shape[0], r1 - r0, i0, r0);
          };
          await runAsync(packPatternSteps(xT, wt, gram.a, r0, Math.max(1, Math.floor(limit / (r1 - r0))), toDelta));
        } finally {
          wt.dispose();
        }
      }
    } finally {
      xT.dispose();
    }
  };
  await packFromWeights(w0);
  let den = 0;
  delta.setFromCounts((set) => gram.run((i0, i1, counts, ld) => {
    for (let i = i0; i < i1; i++) {
      for (let j = 0; j <= i; j++) {
        const c = counts[(i - i0) * ld + j];
        c0[i * n + j] = c;
        set(i, j, c); // D = 0, and the patterns of W(0) become the delta's last
        const h = (g[i * n + j] * c) / m;
        h0[i * n + j] = h;
        h0[j * n + i] = h;
        den += (i === j ? 1 : 2) * h * h;
      }
    }
  }));
  const ratio = (num: number): number => (den === 0 ? (num === 0 ? 0 : Infinity) : Math.sqrt(num / den));
  // The drift by popcount of the packed patterns; `packedDelta`: the delta's next patterns are the same ones.
  const drift = (packedDelta = false): number => {
    let num = 0;
    const run = (set?: (i: number, j: number, c: number) => void) => gram.run((i0, i1, counts, ld) => {
      for (let i = i0; i < i1; i++) {
        for (let j = 0; j <= i; j++) {
          const c = counts[(i - i0) * ld + j];
          set?.(i, j, c);
          const e = (g[i * n + j] * c) / m - h0[i * n + j];
          num += (i === j ? 1 : 2) * e * e;
        }
      }
    });
    if (packedDelta) delta.setFromCounts(run);
    else { delta.invalidate(); run(); }
    return ratio(num);
  };
  const fromBlocks = async (blocks: readonly tf.Tensor2D[], how: PatternBlocks = {}): Promise<number> => {
    const neuronMajor = how.layout === 'neurons-major';
    let cols = 0;
    for (const t of blocks) {
      if (t.rank !== 2 || t.shape[neuronMajor ? 1 : 0] !== n) {
        throw new ShapeMismatchError(`kernel drift patterns (tensor block, ${how.layout ?? 'points-major'})`, neuronMajor ? `[neurons, ${n}]` : `[${n}, neurons]`, t.shape);
      }
      cols += t.shape[neuronMajor ? 0 : 1];
    }
    if (cols !== m) throw new ShapeMismatchError('kernel drift patterns (neurons over all blocks)', [m], [cols]);
    // Read every block before packing: the patterns change only once all of them are in. On wasm
    // float32 blocks are read in place (views of the backend's heap, used before any tfjs op runs).
    const views = blocks.map(wasmHeapView);
    const values: ArrayLike<number>[] = views.every((v) => v !== undefined) ? (views as Float32Array[]) : await Promise.all(blocks.map((t) => t.data()));
    const kindOf = (t: tf.Tensor2D) => ((how.values ?? (t.dtype === 'float32' ? 'preactivations' : 'mask')) === 'mask' ? 'mask' : 'signs');
    if (neuronMajor) return fromNeuronRows(blocks.map((t, q) => ({ v: values[q], b: t.shape[0], kind: kindOf(t) })));
    return fromPacked((gm) => {
      let r0 = 0;
      blocks.forEach((t, q) => {
        const b = t.shape[1];
        if (kindOf(t) === 'mask') packMask(gm.a, values[q], n, b, 0, r0);
        else packSigns(gm.a, values[q], n, b, 0, r0);
        r0 += b;
      });
    });
  };
  // Few flips since the last call: update D from them; else (or with no last patterns) recount by popcount.
  const fromNeuronRows = (rows: ReadonlyArray<{ v: ArrayLike<number>; b: number; kind: 'mask' | 'signs' }>): number => {
    let r0 = 0;
    for (const { v, b, kind } of rows) { delta.packRows(v, b, r0, kind); r0 += b; }
    const flips = delta.flips();
    if (flips >= 0 && flips <= (n * m) / 128) {
      delta.applyFlips();
    } else {
      clearPatterns(gram.a);
      r0 = 0;
      for (const { v, b, kind } of rows) { packNeuronMajor(gram.a, v, b, n, kind, 0, r0); r0 += b; }
      delta.setFromCounts((set) => gram.run((i0, i1, counts, ld) => {
        for (let i = i0; i < i1; i++) for (let j = 0; j <= i; j++) set(i, j, counts[(i - i0) * ld + j]);
      }));
    }
    return ratio(delta.weightedSquares(g) / (m * m));
  };
  const fromPacked = (pack: (gm: PopcountGram) => void): number => {
    clearPatterns(gram.a);
    pack(gram);
    return drift();
  };
  return {
    rows: n,
    neurons: m,
    h0,
    fromPreactivations: (z) => fromPacked((gm) => packSigns(gm.a, z, n, m)),
    fromMask: (mask) => fromPacked((gm) => packMask(gm.a, mask, n, m)),
    fromTensor: (t) => fromBlocks([t]),
    fromTensorBlocks: fromBlocks,
    async fromWeights(w) {
      await packFromWeights(w);
      return drift(true);
    },
  };
}
