import { InvalidOptionError, requirePositiveInt } from '@pikt/core';
import { assertFits, createWorkspace, MAX_WORKSPACE_BYTES, type Workspace } from '@pikt/linalg';

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
  /**
   * Bytes left unused at the start of every shard (default 0). Tests use it to put blocks above the
   * 2 GiB mark, where byte offsets no longer fit a signed 32-bit integer.
   */
  leadingBytes?: number;
  /**
   * Arithmetic of the products (default 'float64'). 'float64': vectors and sums in float64, exact
   * products of the stored float32 matrix up to float64 rounding. 'float32': vectors rounded to
   * float32 and the multiply-adds in f32x4 lanes (about twice as fast: the products are bound by
   * their multiply and add count), sums promoted to float64 every 32 terms per lane and every 64
   * rows, so each entry of A x is within (66 2^-24) sum_j |a_ij x_j| of the float64 product: a
   * bounded multiple of the float32 storage error (panel-product-kernel.ts). Needs a blockSize that
   * is a multiple of 4.
   */
  products?: 'float64' | 'float32';
}

/** One stored block: rows i0..i1-1, columns j0..j1-1, row pitch `ld` floats (a multiple of 4). */
export interface Block {
  i0: number; i1: number; j0: number; j1: number;
  /** Columns the product kernels read: j1 - j0 rounded up to even (the pad column is zero). */
  cols2: number;
  ld: number;
  shard: number;
  ptr: number;
  thread: number;
}

/**
 * A shard: one linear memory with its x region, one y region per thread and (float32 products) one
 * float32 scratch per thread for the transposed side of a band of rows.
 */
export interface Shard { ws: Workspace; px: number; py: number[]; scratch: number[]; reserved: number }

export interface BlockPlan {
  n: number;
  B: number;
  nPad: number;
  threads: number;
  /** True for float32 panel products (BlockGramOptions.products). */
  panel: boolean;
  blocks: Block[];
  shards: Shard[];
  bytes: number;
}

/**
 * Lay out the lower-triangular blocks of an n x n Gram, pack them into shards of at most
 * `shardBytes`, create each shard's memory at its final size (plus `reserveBytes` per shard for the
 * builder's own data, e.g. the points), reserve every block, and balance the blocks over threads.
 * The blocks are zero until filled.
 */
export function planBlockGram(n: number, opts: BlockGramOptions & { reserveBytes?: number } = {}): BlockPlan {
  requirePositiveInt('n', n);
  const B = opts.blockSize ?? 2048;
  requirePositiveInt('blockSize', B, 2);
  const shardCap = opts.shardBytes ?? MAX_WORKSPACE_BYTES;
  if (!(shardCap > 0 && shardCap <= MAX_WORKSPACE_BYTES)) throw new InvalidOptionError('shardBytes', shardCap, `a byte count in (0, ${MAX_WORKSPACE_BYTES}]`);
  const threads = opts.threads ?? 1;
  requirePositiveInt('threads', threads);
  const reserve = opts.reserveBytes ?? 0;
  const products = opts.products ?? 'float64';
  if (products !== 'float64' && products !== 'float32') throw new InvalidOptionError('products', products, "'float64' or 'float32'");
  const panel = products === 'float32';
  if (panel && B % 4 !== 0) throw new InvalidOptionError('blockSize', B, "a multiple of 4 for products: 'float32'");
  const nb = Math.ceil(n / B);
  const nPad = n + 2; // the float64 kernels read columns in pairs: one zero column past n
  // Up to 4 vectors in and out per pass: float64 columns, or float32 x / float64 y panels of 4-column chunks.
  const vecBytes = 4 * 8 * Math.max(nPad, Math.ceil(n / 4) * 4);
  const scratchBytes = panel ? 4 * 4 * Math.ceil(B / 4) * 4 : 0;
  const blocks: Block[] = [];
  let total = 0;
  for (let I = 0; I < nb; I++) {
    for (let J = 0; J <= I; J++) {
      const i0 = I * B, i1 = Math.min(n, i0 + B), j0 = J * B, j1 = Math.min(n, j0 + B);
      const cols = j1 - j0;
      const ld = Math.ceil(cols / 4) * 4;
      blocks.push({ i0, i1, j0, j1, cols2: cols + (cols % 2), ld, shard: -1, ptr: 0, thread: 0 });
      total += 4 * (i1 - i0) * ld;
    }
  }
  assertFits(`block Gram (${n} x ${n}, float32 lower-triangular blocks)`, total, 1, opts.memoryBudgetBytes ?? DEFAULT_BLOCK_BUDGET_BYTES);
  const leading = opts.leadingBytes ?? 0;
  const overhead = (1 + threads) * (vecBytes + scratchBytes + 16) + reserve + leading + 4096;
  const sizes: number[] = [];
  for (const b of blocks) {
    const bytes = 4 * (b.i1 - b.i0) * b.ld + 16;
    const last = sizes.length - 1;
    if (last < 0 || sizes[last] + bytes + overhead > shardCap) sizes.push(0);
    b.shard = sizes.length - 1;
    sizes[b.shard] += bytes;
  }
  const shards: Shard[] = sizes.map((s) => {
    const ws = createWorkspace(s + overhead, 'auto', { shared: threads > 1 });
    if (leading > 0) ws.alloc(leading);
    return {
      ws, px: ws.alloc(vecBytes), py: Array.from({ length: threads }, () => ws.alloc(vecBytes)),
      scratch: Array.from({ length: threads }, () => (panel ? ws.alloc(scratchBytes) : 0)), reserved: reserve > 0 ? ws.alloc(reserve) : 0,
    };
  });
  for (const b of blocks) b.ptr = shards[b.shard].ws.alloc(4 * (b.i1 - b.i0) * b.ld);
  // Balance over threads by stored elements (largest first, to the least loaded thread): a pass
  // with 1 or 2 vectors is bound by the bytes it streams, and the fill computes diagonal blocks
  // whole, so a diagonal block costs as much as any other. (Weighting them by their flops, half,
  // gave the calling thread 12 blocks more of the 325 at n = 50,000: its worker then waited.)
  const load = new Array<number>(threads).fill(0);
  for (const b of [...blocks].sort((p, q) => (q.i1 - q.i0) * q.ld - (p.i1 - p.i0) * p.ld)) {
    const t = load.indexOf(Math.min(...load));
    b.thread = t;
    load[t] += (b.i1 - b.i0) * b.ld;
  }
  return { n, B, nPad, threads, panel, blocks, shards, bytes: total };
}
