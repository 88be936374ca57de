import { InvalidOptionError } from '@pikt/core';
import { requirePositiveInt } from '../checks.js';
import { assertDenseFits, assertFits } from '../memory-budget.js';
import { createWorkspace, MAX_WORKSPACE_BYTES, type KernelSet, type Workspace } from '../wasm/workspace.js';
import type { SymmetricOperator } from './symmetric-operator.js';
import { spawnBlockWorkers, TASK_FIELDS, type BlockWorkers } from './block-threads.js';

/** Default ceiling for a float32 block Gram: 16 GiB (n ~ 90,000), under a 24 GiB machine. */
export const DEFAULT_BLOCK_BUDGET_BYTES = 16 * 1024 ** 3;

export interface BlockGramOptions {
  /** Rows/columns per block (default 2048). */
  blockSize?: number;
  /** Refuse a block store above this many bytes (default 16 GiB). */
  memoryBudgetBytes?: number;
  /** Largest linear memory per shard (default and maximum: 4 GiB, the wasm32 limit). */
  shardBytes?: number;
  /**
   * Threads for the products (default 1). Above 1 the shards are shared memories and
   * `await gram.startThreads()` spawns threads - 1 workers (Node); until then everything runs on
   * the calling thread. Results are identical up to float64 summation order.
   */
  threads?: number;
}

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

interface Block { i0: number; i1: number; j0: number; j1: number; ld: number; shard: number; ptr: number; thread: number }
interface Shard { ws: Workspace; px: number; py: number[] }

/**
 * Build a float32 block Gram. Storage: the lower-triangular blocks (I, J), J <= I, each in linear
 * memory outside tfjs's wasm heap, packed into shards of at most 4 GiB. A product A x streams each
 * block once: y_I += A_IJ x_J and, off the diagonal, y_J += A_IJ^T x_I (symvF32), in float64.
 * n = 50,000 takes 5 GB (n^2/2 floats) instead of the 20 GB of a dense float64 matrix.
 */
export function createBlockGram(n: number, fill: BlockFiller, opts: BlockGramOptions = {}): BlockGram {
  requirePositiveInt('n', n);
  const B = opts.blockSize ?? 2048;
  requirePositiveInt('blockSize', B, 2);
  const shardCap = opts.shardBytes ?? MAX_WORKSPACE_BYTES;
  if (!(shardCap > 0 && shardCap <= MAX_WORKSPACE_BYTES)) throw new InvalidOptionError('shardBytes', shardCap, `a byte count in (0, ${MAX_WORKSPACE_BYTES}]`);
  const threads = opts.threads ?? 1;
  requirePositiveInt('threads', threads);
  const nb = Math.ceil(n / B);
  const nPad = n + 2; // the kernels read columns in pairs: one zero column past n
  const vecBytes = 4 * 8 * nPad; // up to 4 vectors in and out per pass
  const blocks: Block[] = [];
  let total = 0;
  for (let I = 0; I < nb; I++) {
    for (let J = 0; J <= I; J++) {
      const i0 = I * B, i1 = Math.min(n, i0 + B), j0 = J * B, j1 = Math.min(n, j0 + B);
      const ld = j1 - j0 + ((j1 - j0) % 2);
      blocks.push({ i0, i1, j0, j1, ld, shard: -1, ptr: 0, thread: 0 });
      total += 4 * (i1 - i0) * ld;
    }
  }
  assertFits(`block Gram (${n} x ${n}, float32 lower-triangular blocks)`, total, 1, opts.memoryBudgetBytes ?? DEFAULT_BLOCK_BUDGET_BYTES);
  // Pack blocks into shards, then create each shard's memory at its final size.
  const sizes: number[] = [];
  for (const b of blocks) {
    const bytes = 4 * (b.i1 - b.i0) * b.ld + 16;
    const last = sizes.length - 1;
    if (last < 0 || sizes[last] + bytes + (1 + threads) * vecBytes + 4096 > shardCap) sizes.push(0);
    b.shard = sizes.length - 1;
    sizes[b.shard] += bytes;
  }
  const shards: Shard[] = sizes.map((s) => {
    const ws = createWorkspace(s + (1 + threads) * vecBytes + 2048, 'auto', { shared: threads > 1 });
    return { ws, px: ws.alloc(vecBytes), py: Array.from({ length: threads }, () => ws.alloc(vecBytes)) };
  });
  // Balance the blocks over threads by element count (largest first, to the least loaded thread).
  const load = new Array<number>(threads).fill(0);
  for (const b of [...blocks].sort((p, q) => (q.i1 - q.i0) * q.ld - (p.i1 - p.i0) * p.ld)) {
    const t = load.indexOf(Math.min(...load));
    b.thread = t;
    load[t] += (b.i1 - b.i0) * b.ld * (b.i0 === b.j0 ? 1 : 2);
  }
  let workers: BlockWorkers | null = null;
  for (const b of blocks) {
    const sh = shards[b.shard];
    b.ptr = sh.ws.alloc(4 * (b.i1 - b.i0) * b.ld);
    fill(b.i0, b.i1, b.j0, b.j1, sh.ws.f32(b.ptr, (b.i1 - b.i0) * b.ld), b.ld);
  }
  const stride = 8 * nPad;
  const find = (i: number, j: number): Block => {
    const [r, c] = i >= j ? [i, j] : [j, i];
    const I = Math.floor(r / B), J = Math.floor(c / B);
    return blocks[(I * (I + 1)) / 2 + J];
  };
  const gram: BlockGram = {
    n,
    bytes: total,
    storage: `float32 lower-triangular blocks of ${B} (${blocks.length} blocks in ${shards.length} shard(s))`,
    blockSize: B,
    blockCount: blocks.length,
    shardCount: shards.length,
    apply(xs, ys) {
      for (const y of ys) y.fill(0);
      const used = workers ? threads : 1;
      for (let v0 = 0; v0 < xs.length;) {
        const b = xs.length - v0 >= 4 ? 4 : xs.length - v0 >= 2 ? 2 : 1;
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
        const tasks = new Int32Array(mine.length * TASK_FIELDS);
        mine.forEach((b, i) => tasks.set([b.shard, b.ptr, b.i1 - b.i0, b.ld, b.i0, b.j0, b.i0 === b.j0 ? 1 : 0], i * TASK_FIELDS));
        return {
          module: shards[0].ws.shared!.module,
          memories: shards.map((sh) => sh.ws.shared!.memory),
          tasks,
          stride,
          xPtr: shards.map((sh) => sh.px),
          yPtr: shards.map((sh) => sh.py[w + 1]),
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
    gemv(blk.ptr, rows, blk.ld, blk.ld, xJ, yI, stride);
  } else {
    const symv = b === 4 ? k.symvF32_4 : b === 2 ? k.symvF32_2 : k.symvF32_1;
    symv(blk.ptr, rows, blk.ld, blk.ld, xJ, yJ, xI, yI, stride);
  }
}
