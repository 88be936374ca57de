import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@pikt/core';
import { twoLayerEntry } from '../kernels/analytic-kernel.js';
import { rowCount, rowNorms } from '../kernels/inner-products.js';
import { consoleWarning, warnIfNotUnitNorm, type WarningSink } from '../warnings.js';
import { createBlockGram, finishBlockGram, type BlockGram, type BlockGramOptions } from './block-gram.js';
import { planBlockGram } from './block-plan.js';
import { createWorkspace, type RealArray, requireFinite } from '@pikt/linalg';

export interface TwoLayerBlockGramOptions extends BlockGramOptions {
  inputDim: number;
  trainLayers?: 'first' | 'both';
  kappa?: number;
  /**
   * Where the inner products x_i . x_j are computed: 'f64' (default; the SIMD float64 kernel, exact,
   * about 1-2 GFLOP/s) or 'tfjs' (float32 matMul on the active tfjs backend, 10-30x faster on wasm
   * for large d, enough for a float32 store). The kernel transform itself is float64.
   */
  innerProducts?: 'f64' | 'tfjs';
  onWarning?: WarningSink;
}

/**
 * The analytic two-layer NTK (`twoLayerNtk`: Hinf, plus the arc-cosine term when both layers
 * train) of a large point set as a float32 block Gram, computed block by block so that no n x n
 * array ever exists: the large-n path's input (Lanczos, CG).
 */
export function twoLayerBlockGram(x: RealArray, opts: TwoLayerBlockGramOptions): BlockGram {
  const p = prepareBuild(x, opts);
  const dots = p.engine === 'tfjs' ? tfjsDots(x, p.n, p.d) : f64Dots(x, p.n, p.d);
  try {
    return createBlockGram(p.n, (i0, i1, j0, j1, out, ld) => p.transform(dots.block(i0, i1, j0, j1), i0, i1, j0, j1, out, ld), opts);
  } finally {
    dots.dispose();
  }
}

/**
 * `twoLayerBlockGram` reading every block's inner products with `await data()`: the path for GPU
 * backends (webgl, webgpu), where a synchronous `dataSync()` stalls the pipeline or is refused.
 * Same numbers as the synchronous builder on the same backend.
 */
export async function twoLayerBlockGramAsync(x: RealArray, opts: TwoLayerBlockGramOptions): Promise<BlockGram> {
  const p = prepareBuild(x, opts);
  const dots = p.engine === 'tfjs' ? tfjsDots(x, p.n, p.d) : f64Dots(x, p.n, p.d);
  try {
    const plan = planBlockGram(p.n, opts);
    for (const b of plan.blocks) {
      const g = await dots.blockAsync(b.i0, b.i1, b.j0, b.j1);
      p.transform(g, b.i0, b.i1, b.j0, b.j1, plan.shards[b.shard].ws.f32(b.ptr, (b.i1 - b.i0) * b.ld), b.ld);
    }
    return finishBlockGram(plan);
  } finally {
    dots.dispose();
  }
}

/** Checks the options and returns the float64 kernel transform of one block of inner products. */
function prepareBuild(x: RealArray, opts: TwoLayerBlockGramOptions) {
  const d = opts.inputDim;
  const n = rowCount('points', x as ArrayLike<number>, d);
  requireFinite('points', x as ArrayLike<number>);
  const both = (opts.trainLayers ?? 'first') === 'both';
  if (!['first', 'both'].includes(opts.trainLayers ?? 'first')) throw new InvalidOptionError('trainLayers', opts.trainLayers, "'first' or 'both'");
  const kappa = opts.kappa ?? 1;
  if (!(kappa > 0 && Number.isFinite(kappa))) throw new InvalidOptionError('kappa', kappa, 'a finite number > 0');
  const engine = opts.innerProducts ?? 'f64';
  if (engine !== 'f64' && engine !== 'tfjs') throw new InvalidOptionError('innerProducts', engine, "'f64' or 'tfjs'");
  warnIfNotUnitNorm('kernel inputs', x as ArrayLike<number>, d, opts.onWarning ?? consoleWarning);
  const norms = rowNorms(x as ArrayLike<number>, d);
  const transform = (g: ArrayLike<number>, i0: number, i1: number, j0: number, j1: number, out: Float32Array, ld: number): void => {
    const cols = j1 - j0;
    for (let i = i0; i < i1; i++) {
      for (let j = j0; j < j1; j++) {
        const gij = g[(i - i0) * cols + (j - j0)];
        let theta: number;
        if (i === j) theta = 0;
        else {
          const den = norms[i] * norms[j];
          const c = den === 0 ? 0 : gij / den;
          theta = den === 0 ? Math.PI / 2 : Math.acos(c > 1 ? 1 : c < -1 ? -1 : c);
        }
        out[(i - i0) * ld + (j - j0)] = twoLayerEntry(i === j ? norms[i] * norms[i] : gij, norms[i], norms[j], theta, kappa, both);
      }
    }
  };
  return { n, d, engine, transform };
}

interface DotSource {
  /** Row-major (i1 - i0) x (j1 - j0) inner products. */
  block(i0: number, i1: number, j0: number, j1: number): ArrayLike<number>;
  /** The same block, read without a synchronous download (`await data()` on tfjs). */
  blockAsync(i0: number, i1: number, j0: number, j1: number): Promise<ArrayLike<number>>;
  dispose(): void;
}

function f64Dots(x: RealArray, n: number, d: number): DotSource {
  const ws = createWorkspace(8 * n * d + 1024);
  const px = ws.alloc(8 * n * d);
  ws.f64(px, n * d).set(x as ArrayLike<number>);
  const block = (i0: number, i1: number, j0: number, j1: number): Float64Array => {
    const cols = j1 - j0;
    const g = new Float64Array((i1 - i0) * cols);
    for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) g[(i - i0) * cols + (j - j0)] = ws.k.dot(px + 8 * i * d, px + 8 * j * d, d);
    return g;
  };
  return { block, blockAsync: async (i0, i1, j0, j1) => block(i0, i1, j0, j1), dispose() {} };
}

function tfjsDots(x: RealArray, n: number, d: number): DotSource {
  const xt = tf.tensor2d(Float32Array.from(x as ArrayLike<number>), [n, d]);
  let cacheJ0 = -1;
  let cacheT: tf.Tensor2D | null = null;
  const product = (i0: number, i1: number, j0: number, j1: number): tf.Tensor => {
    // X_J^T is transposed once per column block (explicit transpose: fast matMul on wasm).
    if (cacheJ0 !== j0 || !cacheT) {
      cacheT?.dispose();
      cacheT = tf.tidy(() => tf.transpose(tf.slice(xt, [j0, 0], [j1 - j0, d])) as tf.Tensor2D);
      cacheJ0 = j0;
    }
    const t = cacheT;
    return tf.tidy(() => tf.matMul(tf.slice(xt, [i0, 0], [i1 - i0, d]), t));
  };
  return {
    block(i0, i1, j0, j1) {
      const r = product(i0, i1, j0, j1);
      const data = r.dataSync();
      r.dispose();
      return data;
    },
    async blockAsync(i0, i1, j0, j1) {
      const r = product(i0, i1, j0, j1);
      try {
        return await r.data();
      } finally {
        r.dispose();
      }
    },
    dispose() {
      cacheT?.dispose();
      xt.dispose();
    },
  };
}
