import { OutOfMemoryBudgetError, ShapeMismatchError, requirePositiveInt } from '@pikt/core';
import { assertFits, DEFAULT_DENSE_BUDGET_BYTES } from '../memory-budget.js';
import { gramTileF64Js } from './gram-f64-kernel.js';
import { sweepPanels, type PanelTile } from './panel-sweep.js';
import { compile, popcountKernels } from './popcount-gram.js';
import { MAX_WORKSPACE_BYTES } from './workspace.js';

export interface GramF64Options {
  inputDim: number;
  /** 'auto' (default: SIMD where the runtime has it) or 'js' (same bits, the tests compare them). */
  kernel?: 'auto' | 'js';
  /** Refuse when the panels, one row block and the result exceed this many bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/**
 * G = A B^T in float64 (B = A when `b` is null: the lower triangle, mirrored), G_ij = sum_k a_ik b_jk,
 * with a 2 x 2 register-tiled f64x2 kernel swept in L2-sized column panels (gram-f64-kernel.ts):
 * the X X^T factor of the empirical NTK (SCIENCE.md section 3). Every entry sums its even and its
 * odd k separately and then adds the two, whatever its position, so blocks agree to the bit.
 */
export function gramF64(a: ArrayLike<number>, b: ArrayLike<number> | null, opts: GramF64Options): Float64Array {
  const d = opts.inputDim;
  requirePositiveInt('inputDim', d);
  for (const [what, v] of [['a', a], ['b', b ?? a]] as const) {
    if (v.length % d !== 0) throw new ShapeMismatchError(`gramF64 ${what} (row-major [n, inputDim=${d}])`, `a multiple of ${d} values`, `${v.length} values`);
  }
  const sym = b === null || b === a;
  const n = a.length / d, nc = sym ? n : (b as ArrayLike<number>).length / d;
  const P = Math.ceil(d / 2) * 16;
  const even = (k: number) => k + (k & 1);
  const ld = even(nc);
  const rb = Math.min(even(n), Math.max(2, 2 * Math.floor((1 << 21) / ld)));
  const bytes = (even(n) + (sym ? 0 : ld)) * P + rb * ld * 8 + 64;
  const budget = opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES;
  assertFits(`inner products (${n} x ${nc} float64) and their row panels`, bytes + n * nc * 8, 1, budget);
  if (bytes > MAX_WORKSPACE_BYTES) throw new OutOfMemoryBudgetError('row panels in one wasm memory (4 GiB)', bytes, MAX_WORKSPACE_BYTES);
  const mod = opts.kernel === 'js' || popcountKernels().kind !== 'wasm-simd' ? null : compile('wasm-simd');
  let buffer: ArrayBuffer;
  let tile: PanelTile;
  if (mod) {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    tile = (new WebAssembly.Instance(mod, { env: { memory } }).exports as Record<string, PanelTile>).gramTileF64;
    buffer = memory.buffer as ArrayBuffer;
  } else {
    buffer = new ArrayBuffer(Math.ceil(bytes / 16) * 16);
    tile = gramTileF64Js(buffer);
  }
  const F = new Float64Array(buffer);
  const toPanels = (src: ArrayLike<number>, rows: number, ptr: number): void => {
    const pw = P / 8; // doubles per row
    for (let i = 0; i < rows; i++) {
      const base = ptr / 8 + (i >> 1) * 2 * pw + (i & 1) * 2;
      for (let k = 0; k < d; k++) F[base + (k >> 1) * 4 + (k & 1)] = src[i * d + k];
    }
  };
  const pA = 16;
  const pB = sym ? pA : pA + even(n) * P;
  const pOut = pB + (sym ? even(n) * P : ld * P);
  toPanels(a, n, pA);
  if (!sym) toPanels(b as ArrayLike<number>, nc, pB);
  const sweep = { pA, pB, P, groupsB: ld / 2, symmetric: sym, pOut, ld: ld * 8, elem: 8 };
  const g = new Float64Array(n * nc);
  const out = new Float64Array(buffer, pOut, rb * ld);
  for (let i0 = 0; i0 < n; i0 += rb) {
    const i1 = Math.min(n, i0 + rb);
    sweepPanels(tile, sweep, i0, i1);
    for (let i = i0; i < i1; i++) {
      const o = (i - i0) * ld;
      if (!sym) {
        g.set(out.subarray(o, o + nc), i * nc);
        continue;
      }
      for (let j = 0; j <= i; j++) {
        g[i * n + j] = out[o + j];
        g[j * n + i] = out[o + j];
      }
    }
  }
  return g;
}
