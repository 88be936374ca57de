import { InvalidOptionError, OutOfMemoryBudgetError, requirePositiveInt } from '@pikt/core';
import { assembleModule } from './assembler.js';
import { announceFallback, runtimeEnv, runtimeHasSimd } from './kernel-select.js';
import { gramTileF64 } from './gram-f64-kernel.js';
import { popcountTileJs, popcountTileScalar, popcountTileSimd } from './popcount-kernels.js';
import { MAX_WORKSPACE_BYTES } from './workspace.js';
import { sweepPanels, type PanelTile } from './panel-sweep.js';
import { assertFits, DEFAULT_DENSE_BUDGET_BYTES } from '../memory-budget.js';

/** Which co-activation kernel runs: SIMD (i8x16.popcnt), scalar wasm (i64.popcnt) or plain JS. */
export type PopcountKernelKind = 'wasm-simd' | 'wasm-scalar' | 'js';
export interface PopcountKernels { kind: PopcountKernelKind; reason?: string }

const modules: Partial<Record<'wasm-simd' | 'wasm-scalar', WebAssembly.Module | null>> = {};
let chosen: PopcountKernels | undefined;

/** The compiled module of one kernel kind (SIMD: the popcount and float64 tiles), or null. */
export function compile(kind: 'wasm-simd' | 'wasm-scalar'): WebAssembly.Module | null {
  if (modules[kind] !== undefined) return modules[kind] ?? null;
  let mod: WebAssembly.Module | null = null;
  try {
    const bytes = assembleModule(kind === 'wasm-simd' ? [popcountTileSimd(), gramTileF64()] : [popcountTileScalar()]);
    if (WebAssembly.validate(bytes)) mod = new WebAssembly.Module(bytes);
  } catch {
    mod = null;
  }
  modules[kind] = mod;
  return mod;
}

/**
 * The kernel `createPopcountGram` uses by default, and why when it is not SIMD: 'wasm-simd' where
 * the runtime has WebAssembly SIMD, else 'wasm-scalar', else 'js' (also when PIKT_LINALG_KERNELS=js).
 * A SIMD runtime on which the SIMD module fails to compile is a defect and warns once.
 */
export function popcountKernels(): PopcountKernels {
  if (chosen) return { ...chosen };
  const env = runtimeEnv();
  if (env.forceJs) chosen = { kind: 'js', reason: `forced by ${env.forceJs}` };
  else if (typeof WebAssembly !== 'object') chosen = { kind: 'js', reason: 'this runtime has no WebAssembly' };
  else if (runtimeHasSimd() && compile('wasm-simd')) chosen = { kind: 'wasm-simd' };
  else {
    const reason = runtimeHasSimd() ? 'the SIMD popcount module failed to compile' : 'this runtime has no WebAssembly SIMD (v128)';
    if (runtimeHasSimd()) announceFallback(`@pikt/linalg: ${reason}, although this runtime supports WebAssembly SIMD; co-activation counts use a slower kernel (same integers). Please report this with your runtime version.`);
    chosen = compile('wasm-scalar') ? { kind: 'wasm-scalar', reason } : { kind: 'js', reason: `${reason}; the scalar wasm module failed too` };
  }
  return { ...chosen };
}

/** One side of the count product: `rows` bit rows of `bits` bits in the 2-row panel layout (popcount-kernels.ts). */
export interface PackedPatterns {
  readonly rows: number;
  readonly bits: number;
  /** Words (uint32) per row: bits rounded up to a multiple of 128. */
  readonly pitchWords: number;
  /** The panels, (rows rounded up to even) x pitchWords words, zero where no bit was set. */
  readonly words: Uint32Array;
}

export interface PopcountGramOptions {
  /** Rows of the first side (the Gram's rows). */
  rows: number;
  /** Rows of the second side, or null for the symmetric product of the first side with itself. */
  cols: number | null;
  /** Bits per row (neurons m). */
  bits: number;
  /** Rows whose counts are handed over at once (default: as many as fit 2^22 counts; even). */
  rowBlock?: number;
  /** 'auto' (default, `popcountKernels()`), or force one kernel (the tests compare them). */
  kernel?: 'auto' | PopcountKernelKind;
  /** Refuse when the packed patterns and the count block exceed this many bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/** Receives counts C[i][j] = counts[(i - i0) * ld + j] for i0 <= i < i1; symmetric: only j <= i is set. */
export type CountConsumer = (i0: number, i1: number, counts: Int32Array, ld: number) => void;

export interface PopcountGram {
  readonly kind: PopcountKernelKind;
  readonly a: PackedPatterns;
  /** The second side (the same object as `a` when symmetric). */
  readonly b: PackedPatterns;
  /** Count every (row, column) pair, block of rows by block of rows. */
  run(consume: CountConsumer): void;
}

/** Bytes the packed patterns and count block of a popcount Gram need (for budgets and reports). */
export function popcountGramBytes(rows: number, cols: number | null, bits: number, rowBlock: number): number {
  const P = Math.ceil(bits / 128) * 16;
  const even = (k: number) => k + (k & 1);
  return even(rows) * P + (cols === null ? 0 : even(cols) * P) + even(rowBlock) * even(cols ?? rows) * 4;
}

/**
 * Exact co-activation counts of two sets of 0/1 patterns, C = S_A S_B^T with
 * C_ij = sum_r s_ir t_jr = popcount(s_i AND t_j) (SCIENCE.md section 3: the S S^T of the
 * empirical NTK), for bit-packed rows: m/8 bytes a row instead of 4m, integers with no rounding.
 * Fill `a.words` (and `b.words`) with `packSigns`/`packMask`, then `run`.
 */
export function createPopcountGram(opts: PopcountGramOptions): PopcountGram {
  requirePositiveInt('rows', opts.rows);
  if (opts.cols !== null) requirePositiveInt('cols', opts.cols);
  requirePositiveInt('bits', opts.bits);
  const kind = opts.kernel === undefined || opts.kernel === 'auto' ? popcountKernels().kind : opts.kernel;
  if (!['wasm-simd', 'wasm-scalar', 'js'].includes(kind)) throw new InvalidOptionError('kernel', opts.kernel, "'auto', 'wasm-simd', 'wasm-scalar' or 'js'");
  const sym = opts.cols === null;
  const n = opts.rows, nc = opts.cols ?? opts.rows;
  const ld = nc + (nc & 1);
  let rb = opts.rowBlock ?? Math.max(2, Math.floor((1 << 22) / ld));
  requirePositiveInt('rowBlock', rb);
  rb = Math.min(rb + (rb & 1), n + (n & 1));
  const P = Math.ceil(opts.bits / 128) * 16;
  const bytes = popcountGramBytes(n, opts.cols, opts.bits, rb) + 64;
  assertFits(`packed activation patterns (${n}${sym ? '' : ` + ${nc}`} rows x ${opts.bits} bits) and a ${rb} x ${nc} count block`, bytes, 1, opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES);
  if (bytes > MAX_WORKSPACE_BYTES) throw new OutOfMemoryBudgetError('packed activation patterns in one wasm memory (4 GiB)', bytes, MAX_WORKSPACE_BYTES);
  let buffer: ArrayBuffer;
  let tile: PanelTile;
  const mod = kind === 'js' ? null : compile(kind);
  if (kind !== 'js' && !mod) throw new InvalidOptionError('kernel', kind, `a kernel this runtime runs (${popcountKernels().kind})`);
  if (mod) {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    const exports = new WebAssembly.Instance(mod, { env: { memory } }).exports as Record<string, PanelTile>;
    tile = exports[kind === 'wasm-simd' ? 'popcountTileSimd' : 'popcountTileScalar'];
    buffer = memory.buffer as ArrayBuffer;
  } else {
    buffer = new ArrayBuffer(Math.ceil(bytes / 16) * 16);
    tile = popcountTileJs(buffer);
  }
  let top = 16; // 16-byte aligned bump allocation
  const take = (len: number) => { const p = top; top += Math.ceil(len / 16) * 16; return p; };
  const side = (rows: number) => {
    const p = take((rows + (rows & 1)) * P);
    return { ptr: p, packed: { rows, bits: opts.bits, pitchWords: P / 4, words: new Uint32Array(buffer, p, ((rows + (rows & 1)) * P) / 4) } };
  };
  const A = side(n);
  const B = sym ? A : side(nc);
  const pOut = take(rb * ld * 4);
  const out = new Int32Array(buffer, pOut, rb * ld);
  const sweep = { pA: A.ptr, pB: B.ptr, P, groupsB: ld / 2, symmetric: sym, pOut, ld: ld * 4, elem: 4 };
  return {
    kind,
    a: A.packed,
    b: B.packed,
    run(consume) {
      for (let i0 = 0; i0 < n; i0 += rb) {
        const i1 = Math.min(n, i0 + rb);
        sweepPanels(tile, sweep, i0, i1);
        consume(i0, i1, out, ld);
      }
    },
  };
}
