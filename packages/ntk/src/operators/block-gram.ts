import { InvalidOptionError } from '@pikt/core';
import { planBlockGram, type Block, type BlockGramOptions, type BlockPlan, type Shard } from './block-plan.js';
export { DEFAULT_BLOCK_BUDGET_BYTES } from './block-plan.js';
export type { BlockGramOptions } from './block-plan.js';
import { PANEL_JOB, spawnBlockWorkers, TASK_FIELDS, type BlockWorkers } from './block-threads.js';
import { addFromPanel, packPanel, panelBlockProduct } from './panel-products.js';
import { assertDenseFits, type KernelSet, type SymmetricOperator } from '@pikt/linalg';

/**
 * Fills one block: rows i0..i1-1, columns j0..j1-1 of the Gram into `out` (row pitch `ld`
 * floats). Diagonal blocks (i0 === j0) are filled completely, both triangles.
 */
export type BlockFiller = (i0: number, i1: number, j0: number, j1: number, out: Float32Array, ld: number) => void;

/** A symmetric Gram held as float32 blocks of its lower triangle, matrix-free for Lanczos and CG. */
export interface BlockGram extends SymmetricOperator {
  readonly blockSize: number;
  readonly blockCount: number;
  readonly shardCount: number;
  /** Entry (i, j) as stored (float32). */
  get(i: number, j: number): number;
  /** The diagonal, float64. */
  diagonal(): Float64Array;
  /** Dense float64 copy (guarded by the dense budget): for checks at moderate n. */
  toDense(memoryBudgetBytes?: number): Float64Array;
  /** Spawn the worker threads asked for by `threads` (no-op for 1); products then use them all. */
  startThreads(): Promise<number>;
  /** Stop the workers (the gram stays usable on one thread). */
  dispose(): Promise<void>;
}

/**
 * Build a float32 block Gram. Storage: the lower-triangular blocks (I, J), J <= I, each in linear
 * memory outside tfjs's wasm heap, packed into shards of at most 4 GiB. A product A x streams each
 * block once: y_I += A_IJ x_J and, off the diagonal, y_J += A_IJ^T x_I (symvF32), in float64.
 * n = 50,000 takes 5 GB (n^2/2 floats) instead of the 20 GB of a dense float64 matrix.
 */
export function createBlockGram(n: number, fill: BlockFiller, opts: BlockGramOptions = {}): BlockGram {
  const plan = planBlockGram(n, opts);
  for (const b of plan.blocks) fill(b.i0, b.i1, b.j0, b.j1, plan.shards[b.shard].ws.f32(b.ptr, (b.i1 - b.i0) * b.ld), b.ld);
  return finishBlockGram(plan);
}

/** The operator over a planned (and filled) block layout. */
export function finishBlockGram(plan: BlockPlan, storageNote = ''): BlockGram {
  const { n, B, nPad, threads, blocks, shards, panel } = plan;
  const nP = Math.ceil(n / 4) * 4;
  const total = plan.bytes;
  let workers: BlockWorkers | null = null;
  const stride = 8 * nPad;
  const find = (i: number, j: number): Block => {
    const [r, c] = i >= j ? [i, j] : [j, i];
    const I = Math.floor(r / B), J = Math.floor(c / B);
    return blocks[(I * (I + 1)) / 2 + J];
  };
  /** One pass of b vectors (from xs[v0]) with the float32 panel kernels, on `used` threads. */
  function applyPanels(xs: readonly Float64Array[], ys: Float64Array[], v0: number, b: number, used: number): void {
    for (const sh of shards) {
      packPanel(sh.ws.f32(sh.px, b * nP), xs, v0, b, nP);
      for (let t = 0; t < used; t++) sh.ws.f64(sh.py[t], b * nP).fill(0);
    }
    const job = workers ? workers.start(b + PANEL_JOB) : 0;
    for (const blk of blocks) {
      if (workers && blk.thread !== 0) continue;
      const sh = shards[blk.shard];
      panelBlockProduct(sh.ws.k, b, blk.ptr, blk.i1 - blk.i0, blk.ld, blk.i0, blk.j0, blk.i0 === blk.j0 ? 1 : 0, sh.px, sh.py[0], sh.scratch[0]);
    }
    if (workers) workers.wait(job);
    for (const sh of shards) for (let t = 0; t < used; t++) addFromPanel(sh.ws.f64(sh.py[t], b * nP), ys, v0, b, n);
  }
  const gram: BlockGram = {
    n,
    bytes: total,
    storage: `float32 lower-triangular blocks of ${B} (${blocks.length} blocks in ${shards.length} shard(s)), ${panel ? 'float32' : 'float64'} products${storageNote}`,
    blockSize: B,
    blockCount: blocks.length,
    shardCount: shards.length,
    apply(xs, ys) {
      for (const y of ys) y.fill(0);
      const used = workers ? threads : 1;
      for (let v0 = 0; v0 < xs.length;) {
        const b = xs.length - v0 >= 4 ? 4 : xs.length - v0 >= 2 ? 2 : 1;
        if (panel) {
          applyPanels(xs, ys, v0, b, used);
          v0 += b;
          continue;
        }
        for (const sh of shards) {
          const X = sh.ws.f64(sh.px, b * nPad);
          X.fill(0);
          for (let v = 0; v < b; v++) X.set(xs[v0 + v], v * nPad);
          for (let t = 0; t < used; t++) sh.ws.f64(sh.py[t], b * nPad).fill(0);
        }
        const job = workers ? workers.start(b) : 0;
        for (const blk of blocks) if (!workers || blk.thread === 0) applyBlock(shards[blk.shard], blk, b, stride);
        if (workers) workers.wait(job);
        for (const sh of shards) {
          for (let t = 0; t < used; t++) {
            const Y = sh.ws.f64(sh.py[t], b * nPad);
            for (let v = 0; v < b; v++) {
              const y = ys[v0 + v];
              for (let i = 0; i < n; i++) y[i] += Y[v * nPad + i];
            }
          }
        }
        v0 += b;
      }
    },
    async startThreads() {
      if (threads === 1 || workers) return threads;
      if (!shards.every((sh) => sh.ws.shared)) {
        throw new InvalidOptionError('threads', threads, '1 here: shared WebAssembly memory (SharedArrayBuffer with SIMD) is not available');
      }
      workers = await spawnBlockWorkers(Array.from({ length: threads - 1 }, (_, w) => {
        const mine = blocks.filter((b) => b.thread === w + 1);
        const tasks = new Float64Array(mine.length * TASK_FIELDS); // byte offsets reach 4 GiB: no Int32Array
        mine.forEach((b, i) => tasks.set([b.shard, b.ptr, b.i1 - b.i0, b.cols2, b.ld, b.i0, b.j0, b.i0 === b.j0 ? 1 : 0], i * TASK_FIELDS));
        return {
          module: shards[0].ws.shared!.module,
          memories: shards.map((sh) => sh.ws.shared!.memory),
          tasks,
          stride,
          xPtr: shards.map((sh) => sh.px),
          yPtr: shards.map((sh) => sh.py[w + 1]),
          scratchPtr: shards.map((sh) => sh.scratch[w + 1]),
        };
      }));
      return threads;
    },
    async dispose() {
      const w = workers;
      workers = null;
      await w?.terminate();
    },
    get(i, j) {
      const blk = find(i, j);
      const [r, c] = i >= j ? [i, j] : [j, i];
      return shards[blk.shard].ws.f32(blk.ptr, (blk.i1 - blk.i0) * blk.ld)[(r - blk.i0) * blk.ld + (c - blk.j0)];
    },
    diagonal: () => Float64Array.from({ length: n }, (_, i) => gram.get(i, i)),
    toDense(budget) {
      assertDenseFits('block Gram as dense', n, budget);
      const out = new Float64Array(n * n);
      for (const blk of blocks) {
        const a = shards[blk.shard].ws.f32(blk.ptr, (blk.i1 - blk.i0) * blk.ld);
        for (let i = blk.i0; i < blk.i1; i++) {
          for (let j = blk.j0; j < blk.j1; j++) {
            const v = a[(i - blk.i0) * blk.ld + (j - blk.j0)];
            out[i * n + j] = v;
            out[j * n + i] = v;
          }
        }
      }
      return out;
    },
  };
  return gram;
}

function applyBlock(sh: Shard, blk: Block, b: number, stride: number): void {
  const k: KernelSet = sh.ws.k;
  const rows = blk.i1 - blk.i0;
  const xJ = sh.px + 8 * blk.j0, yJ = sh.py[0] + 8 * blk.j0;
  const xI = sh.px + 8 * blk.i0, yI = sh.py[0] + 8 * blk.i0;
  if (blk.i0 === blk.j0) {
    const gemv = b === 4 ? k.gemvF32_4 : b === 2 ? k.gemvF32_2 : k.gemvF32_1;
    gemv(blk.ptr, rows, blk.cols2, blk.ld, xJ, yI, stride);
  } else {
    const symv = b === 4 ? k.symvF32_4 : b === 2 ? k.symvF32_2 : k.symvF32_1;
    symv(blk.ptr, rows, blk.cols2, blk.ld, xJ, yJ, xI, yI, stride);
  }
}
