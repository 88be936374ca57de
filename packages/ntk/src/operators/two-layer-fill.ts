import { InvalidOptionError } from '@pikt/core';
import { rowCount } from '../kernels/inner-products.js';
import { consoleWarning, warnIfNotUnitNorm } from '../warnings.js';
import { finishBlockGram, type BlockGram } from './block-gram.js';
import { planBlockGram } from './block-plan.js';
import { fillPoints, type FillTiles, type PointArray } from './fill-points.js';
import type { TwoLayerBlockGramOptions } from './gram-builders.js';
import { requireFinite } from '@pikt/linalg';

/**
 * Fill one block of the two-layer NTK (Hinf, plus the arc-cosine term when `both`) in place: the
 * inner products by the f32 SIMD tile kernel from the points' 4-row panel (or, given `ints`, exactly
 * by the int16 tile kernel from integer coordinates, x_i = s_i c_i with s_i at pScales), then the
 * float64 transform x.x' (pi - theta)/(2 pi) [+ kappa^2 (|x||x'| sin theta + (pi - theta) x.x')/(2 pi)]
 * by the f64x2 arc-cosine kernel (arccos by a degree-16 polynomial, within 2e-14; it was 20-25% of
 * the fill's CPU time as a JS loop with Math.acos).
 * Self-contained on purpose (no imports, no closures): its source text also runs in worker threads.
 */
export function fillTwoLayerBlock(
  k: {
    gramTilesF32(pA: number, pB: number, groups: number, G: number, o0: number, o1: number): void;
    arcCosRowF32(p: number, count: number, ni: number, pNorms: number, k2: number): void;
    gramTilesI16(pA: number, pB: number, groups: number, G: number, o0: number, o1: number, pList: number, count: number): void;
    arcCosRowI32(p: number, count: number, ni: number, pNorms: number, k2: number, si: number, pScales: number): void;
  },
  f32: Float32Array, panel: number, G: number, pNorms: number, kappa: number, both: number,
  i0: number, i1: number, j0: number, j1: number, ptr: number, ld: number, scratch: number,
  ints: { pScales: number; pCounts: number; pLists: number; stride: number } | null,
): void {
  // |x_i| (and s_i, the lists' lengths) as the kernels read them, from the same memory.
  const F = new Float64Array(f32.buffer);
  const counts = ints ? new Int32Array(f32.buffer, ints.pCounts) : null;
  const groups = Math.ceil((j1 - j0) / 4);
  const pB = panel + (j0 >> 2) * G;
  // Cache blocking: 64 rows against ~1 MiB column chunks of the panel, which then stay in L2
  // across 32 row pairs (a whole 2048-column panel per row pair streamed from L3).
  const chunk = Math.max(1, Math.floor(1048576 / G));
  for (let r0 = i0; r0 < i1; r0 += 64) {
    const r1 = Math.min(i1, r0 + 64);
    for (let g0 = 0; g0 < groups; g0 += chunk) {
      const cnt = Math.min(chunk, groups - g0);
      for (let i = r0; i < r1; i += 2) {
        const pA = panel + (i >> 2) * G + 32 * ((i & 3) >> 1);
        const out0 = ptr + 4 * (i - i0) * ld + 16 * g0;
        const out1 = i + 1 < i1 ? out0 + 4 * ld : scratch + 16 * g0;
        // Row pair i >> 1's list of its nonzero chunks (FillPoints.lists).
        if (ints) k.gramTilesI16(pA, pB + g0 * G, cnt, G, out0, out1, ints.pLists + ints.stride * (i >> 1), (counts as Int32Array)[i >> 1]);
        else k.gramTilesF32(pA, pB + g0 * G, cnt, G, out0, out1);
      }
    }
  }
  // The arc-cosine transform in f64x2 lanes (arccos-kernel.ts in @pikt/linalg; |x_j| at pNorms),
  // then the diagonal (theta = 0, g = |x_i|^2 exactly) and the zero padding past j1.
  const k2 = both ? kappa * kappa : 0;
  const count = (j1 - j0 + 1) & ~1;
  for (let i = i0; i < i1; i++) {
    const row = ptr / 4 + (i - i0) * ld;
    const ni = F[pNorms / 8 + i];
    if (ints) k.arcCosRowI32(ptr + 4 * (i - i0) * ld, count, ni, pNorms + 8 * j0, k2, F[ints.pScales / 8 + i], ints.pScales + 8 * j0);
    else k.arcCosRowF32(ptr + 4 * (i - i0) * ld, count, ni, pNorms + 8 * j0, k2);
    for (let c = j1 - j0; c < ld; c++) f32[row + c] = 0;
    if (i >= j0 && i < j1) {
      const g = ni * ni;
      f32[row + i - j0] = (g * Math.PI) / (2 * Math.PI) + (k2 * (Math.PI * g)) / (2 * Math.PI);
    }
  }
}

const FILL_FIELDS = 7;

/** `buildTwoLayerBlockGram`'s options: those of `twoLayerBlockGram` (less `innerProducts`), plus the points' form. */
export interface BuildTwoLayerBlockGramOptions extends Omit<TwoLayerBlockGramOptions, 'innerProducts'> {
  /**
   * Point i is rowScales[i] x_i (one finite number a point), or 'unit': x_i / |x_i|. With integer
   * coordinates (8-bit pixels) this keeps them integers for the exact int16 tiles while the kernel
   * sees the unit-norm points the analysis assumes.
   */
  rowScales?: ArrayLike<number> | 'unit';
  /**
   * The inner products' tile kernel: 'auto' (default) computes c_i . c_j exactly in int32 lanes
   * when every coordinate is an integer with |c| <= 32767 and d max|c|^2 < 2^31 (twice as fast as
   * float32 on wasm SIMD: one i32x4.dot_i16x8_s does 8 multiply-adds), else in float32; 'float32'
   * always floats; 'int16' refuses points that are not such integers.
   */
  tiles?: FillTiles;
}

/**
 * `twoLayerBlockGram` built on several threads: the points are copied once per shard as 4-row
 * panels, and every thread fills its share of the blocks with the f32 SIMD tile kernel (about 20
 * GFLOP/s per thread, no tfjs needed), or for integer points the exact int16 one (2.7x that on
 * every chunk, and the zero chunks skipped), and the float64 transform. Node only above one thread.
 * The returned Gram already has its product threads started (`dispose()` stops them).
 */
export async function buildTwoLayerBlockGram(x: PointArray, opts: BuildTwoLayerBlockGramOptions): Promise<BlockGram> {
  const d = opts.inputDim;
  const n = rowCount('points', x as ArrayLike<number>, d);
  requireFinite('points', x as ArrayLike<number>);
  const trainLayers = opts.trainLayers ?? 'first';
  if (trainLayers !== 'first' && trainLayers !== 'both') throw new InvalidOptionError('trainLayers', trainLayers, "'first' or 'both'");
  const kappa = opts.kappa ?? 1;
  if (!(kappa > 0 && Number.isFinite(kappa))) throw new InvalidOptionError('kappa', kappa, 'a finite number > 0');
  const B = opts.blockSize ?? 2048;
  if (!Number.isInteger(B) || B < 4 || B % 4 !== 0) throw new InvalidOptionError('blockSize', B, 'a multiple of 4 (>= 4) for the parallel builder');
  const threads = opts.threads ?? 1;
  const pts = fillPoints(x, n, d, opts.rowScales, opts.tiles);
  const { norms, scales, panelBytes, groupBytes: G, lists } = pts;
  warnIfNotUnitNorm('kernel inputs', norms, 1, opts.onWarning ?? consoleWarning); // rows of one number: the norms
  const scratchBytes = 4 * B;
  const normBytes = 8 * (n + 4); // |x_j| (and s_j for the integer tiles) as float64, zero-padded past n
  const intBytes = lists ? normBytes + lists.bytes : 0; // s_j, then the list lengths and the lists
  const plan = planBlockGram(n, { ...opts, blockSize: B, reserveBytes: panelBytes + threads * scratchBytes + normBytes + intBytes });
  const pNormsOf = (reserved: number) => reserved + panelBytes + threads * scratchBytes;
  const intsOf = (reserved: number) => (lists
    ? { pScales: pNormsOf(reserved) + normBytes, pCounts: pNormsOf(reserved) + 2 * normBytes, pLists: pNormsOf(reserved) + 2 * normBytes + lists.listsOffset, stride: lists.stride }
    : null);
  const first = plan.shards[0];
  for (const sh of plan.shards) {
    sh.ws.f64(pNormsOf(sh.reserved), n).set(norms);
    const ints = intsOf(sh.reserved);
    if (ints && lists && scales) {
      sh.ws.f64(ints.pScales, n).set(scales);
      lists.pack(sh.ws.buffer, ints.pCounts);
    }
    // The panel is laid out once and copied to the other shards (0.33 s a layout at n = 50,000).
    if (sh === first) pts.pack(sh.ws.buffer, sh.reserved);
    else new Uint8Array(sh.ws.buffer, sh.reserved, panelBytes).set(new Uint8Array(first.ws.buffer, first.reserved, panelBytes));
  }
  const both = trainLayers === 'both' ? 1 : 0;
  const tasksOf = (t: number): Float64Array => {
    const mine = plan.blocks.filter((b) => b.thread === t);
    const tasks = new Float64Array(mine.length * FILL_FIELDS); // byte offsets reach 4 GiB: no Int32Array
    mine.forEach((b, i) => tasks.set([b.shard, b.i0, b.i1, b.j0, b.j1, b.ptr, b.ld], i * FILL_FIELDS));
    return tasks;
  };
  const shared = threads > 1 && plan.shards.every((sh) => sh.ws.shared);
  const pending: Promise<void>[] = [];
  if (shared) {
    const wt = await import('node:worker_threads');
    const source = `const { workerData, parentPort } = require('node:worker_threads');
${fillTwoLayerBlock.toString()}
const { module, memories, panel, G, pNorms, kappa, both, tasks, scratch, ints } = workerData;
const inst = memories.map((memory) => new WebAssembly.Instance(module, { env: { memory } }).exports);
const views = memories.map((memory) => new Float32Array(memory.buffer));
for (let t = 0; t < tasks.length; t += ${FILL_FIELDS}) {
  const sh = tasks[t];
  fillTwoLayerBlock(inst[sh], views[sh], panel[sh], G, pNorms[sh], kappa, both, tasks[t + 1], tasks[t + 2], tasks[t + 3], tasks[t + 4], tasks[t + 5], tasks[t + 6], scratch[sh], ints[sh]);
}
parentPort.postMessage('done');`;
    for (let t = 1; t < threads; t++) {
      const w = new wt.Worker(source, {
        eval: true,
        workerData: {
          module: plan.shards[0].ws.shared!.module, memories: plan.shards.map((sh) => sh.ws.shared!.memory),
          panel: plan.shards.map((sh) => sh.reserved), G, pNorms: plan.shards.map((sh) => pNormsOf(sh.reserved)), kappa, both, tasks: tasksOf(t),
          scratch: plan.shards.map((sh) => sh.reserved + panelBytes + t * scratchBytes),
          ints: plan.shards.map((sh) => intsOf(sh.reserved)),
        },
      });
      pending.push(new Promise((resolve, reject) => {
        w.once('message', () => { void w.terminate(); resolve(); });
        w.once('error', reject);
      }));
    }
  }
  for (const b of plan.blocks) {
    if (shared && b.thread !== 0) continue;
    const sh = plan.shards[b.shard];
    fillTwoLayerBlock(sh.ws.k, new Float32Array(sh.ws.buffer), sh.reserved, G, pNormsOf(sh.reserved), kappa, both, b.i0, b.i1, b.j0, b.j1, b.ptr, b.ld, sh.reserved + panelBytes,
      intsOf(sh.reserved));
  }
  await Promise.all(pending);
  const gram = finishBlockGram(plan, lists ? ', exact integer inner products (int16 tiles)' : '');
  if (shared) await gram.startThreads();
  return gram;
}
