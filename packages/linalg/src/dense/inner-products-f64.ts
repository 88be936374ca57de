import { InvalidOptionError, PiktError, requirePositiveInt } from '@pikt/core';
import type { RealArray } from '../checks.js';
import { createWorkspace, type Workspace } from '../wasm/workspace.js';

/**
 * G = A B^T in float64 for row-major point sets (B = A when `b` is null), the inner products under
 * Hinf and every analytic kernel: the f64x2 2 x 4 register-tile kernel (gramTilesF64) over 4-row
 * panels, so each loaded chunk of A and B feeds 8 multiply-adds, and on `threads` threads (Node
 * worker threads on a shared memory; the calling thread blocks in Atomics.wait, so the call stays
 * synchronous). Each entry is summed in a fixed order (even and odd coordinates in two lanes, then
 * added), so the result is the same bit for bit on any number of threads, and within
 * d 2^-53 sum_k |a_k b_k| of the exact product.
 *
 * With `lowerOnly` (symmetric case) only entries j <= i (rounded up to the 4-column tile) are
 * written; the rest of the array is zero. Otherwise the symmetric case is mirrored.
 */
export interface InnerProductsF64Options {
  inputDim: number;
  /** Threads (default 1); above 1 needs Node's worker_threads and shared WebAssembly memory, else runs on one. */
  threads?: number;
  lowerOnly?: boolean;
}

export function innerProductsF64(a: RealArray, b: RealArray | null, opts: InnerProductsF64Options): Float64Array {
  const d = opts.inputDim;
  requirePositiveInt('inputDim', d);
  const same = b === null || b === a;
  const bb = same ? a : (b as RealArray);
  const na = a.length / d, nb = bb.length / d;
  if (!Number.isInteger(na) || !Number.isInteger(nb)) throw new InvalidOptionError('points', `${a.length} and ${bb.length} values`, `multiples of inputDim = ${d}`);
  const threads = opts.threads ?? 1;
  requirePositiveInt('threads', threads);
  const d2 = d + (d % 2);
  const G = 32 * d2;
  const panelA = Math.ceil(na / 4) * G, panelB = same ? 0 : Math.ceil(nb / 4) * G;
  const nb4 = Math.ceil(nb / 4) * 4;
  const pitch = 8 * nb4;
  const workers = threads > 1 ? nodeWorkers() : null;
  const ws = createWorkspace(panelA + panelB + pitch * (na + 1) + 256, 'auto', { shared: workers !== null });
  const pA = ws.alloc(panelA), pB = same ? pA : ws.alloc(panelB), pOut = ws.alloc(pitch * na), scratch = ws.alloc(pitch);
  toPanel(ws, pA, a, na, d, G);
  if (!same) toPanel(ws, pB, bb, nb, d, G);
  const lower = same ? 1 : 0;
  // Row ranges (even starts) of equal work: rows up to i cost ~ i^2 / 2 in the lower triangle.
  const T = workers && ws.shared ? threads : 1;
  const cut = (t: number) => Math.min(na, 2 * Math.round((lower ? na * Math.sqrt(t / T) : (na * t) / T) / 2));
  // Only with workers: SharedArrayBuffer is missing in browsers without cross-origin isolation.
  const ctrl = T > 1 ? new Int32Array(new SharedArrayBuffer(4 * T)) : new Int32Array(1);
  const spawned: Array<{ terminate(): Promise<number> }> = [];
  for (let t = 1; t < T; t++) {
    spawned.push(new workers!.Worker(WORKER, {
      eval: true,
      workerData: { module: ws.shared!.module, memory: ws.shared!.memory, args: [pA, pB, G, pOut, pitch, cut(t), cut(t + 1), na, nb, lower, scratch + 0], ctrl, index: t },
    }));
  }
  tileRows(ws.k, pA, pB, G, pOut, pitch, 0, cut(1), na, nb, lower, scratch);
  for (let t = 1; t < T; t++) {
    while (Atomics.load(ctrl, t) === 0) Atomics.wait(ctrl, t, 0, 1000);
    if (Atomics.load(ctrl, t) < 0) throw new PiktError('PIKT_LINALG_WORKER_FAILED', `Inner-product worker ${t} failed.`, 'Run with threads: 1 to see the error in the main thread.');
  }
  for (const w of spawned) void w.terminate();
  const out = new Float64Array(na * nb);
  const all = ws.f64(pOut, na * nb4);
  for (let i = 0; i < na; i++) out.set(all.subarray(i * nb4, i * nb4 + (lower ? Math.min(nb, i + 1) : nb)), i * nb);
  if (same && !opts.lowerOnly) mirrorLower(out, na);
  return out;
}

/**
 * a[j][i] = a[i][j] for j < i in a row-major n x n array, in 64 x 64 tiles (a plain column-order
 * write misses the cache on every element at n in the thousands).
 */
export function mirrorLower(a: Float64Array, n: number): void {
  const T = 64;
  for (let ib = 0; ib < n; ib += T) {
    for (let jb = 0; jb <= ib; jb += T) {
      const iEnd = Math.min(n, ib + T);
      for (let i = ib; i < iEnd; i++) {
        const jEnd = Math.min(i, jb + T);
        for (let j = jb; j < jEnd; j++) a[j * n + i] = a[i * n + j];
      }
    }
  }
}

/**
 * Rows i0..i1-1 (i0 even) of the tiles, cache-blocked: 64 rows at a time against column chunks
 * of about 1 MiB of B's panel, so the chunk stays in L2 across 32 row pairs (streaming all of B
 * per row pair ran from L3 at a few GFLOP/s). Self-contained: its source also runs in workers.
 */
function tileRows(
  k: { gramTilesF64(pA: number, pB: number, groups: number, G: number, o0: number, o1: number): void },
  pA: number, pB: number, G: number, pOut: number, pitch: number, i0: number, i1: number, na: number, nb: number, lower: number, scratch: number,
): void {
  const chunk = Math.max(1, Math.floor(1048576 / G));
  for (let r0 = i0; r0 < i1; r0 += 64) {
    const r1 = Math.min(i1, r0 + 64);
    const gMax = lower ? ((r1 - 1) >> 2) + 1 : Math.ceil(nb / 4);
    for (let g0 = 0; g0 < gMax; g0 += chunk) {
      for (let i = r0; i < r1; i += 2) {
        const cnt = Math.min(chunk, (lower ? (i >> 2) + 1 : gMax) - g0);
        if (cnt <= 0) continue;
        const out0 = pOut + i * pitch + 32 * g0;
        k.gramTilesF64(pA + (i >> 2) * G + 32 * ((i & 3) >> 1), pB + g0 * G, cnt, G, out0, i + 1 < na ? out0 + pitch : scratch + 32 * g0);
      }
    }
  }
}

const WORKER = `
const { workerData } = require('node:worker_threads');
const { module, memory, args, ctrl, index } = workerData;
${tileRows.toString()}
try {
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  tileRows(k, ...args);
  Atomics.store(ctrl, index, 1);
} catch (e) {
  Atomics.store(ctrl, index, -1);
}
Atomics.notify(ctrl, index);
`;

/** 4-row panels of 2-double chunks, zero-padded (gram-tile-kernel.ts). */
function toPanel(ws: Workspace, p: number, x: RealArray, n: number, d: number, G: number): void {
  const f = ws.f64(p, (Math.ceil(n / 4) * G) / 8);
  for (let i = 0; i < n; i++) {
    const base = ((i >> 2) * G + 16 * (i & 3)) / 8;
    for (let j = 0; j < d; j++) f[base + 8 * (j >> 1) + (j & 1)] = x[i * d + j] as number;
  }
}

type WorkerThreads = typeof import('node:worker_threads');

/** node:worker_threads, synchronously (process.getBuiltinModule, Node >= 20.16), or null elsewhere. */
function nodeWorkers(): WorkerThreads | null {
  const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  try {
    return (g.process?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined) ?? null;
  } catch {
    return null;
  }
}
