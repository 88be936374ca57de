import { OutOfMemoryBudgetError } from '@pikt/core';
import { assembleModule } from './assembler.js';
import { kernelDefinitions } from './kernels.js';
import { jsKernels } from './js-kernels.js';
import { announceFallback, runtimeEnv, selectKernelModule, type LinalgKernels } from './kernel-select.js';

let chosen: LinalgKernels | undefined;

/**
 * Which kernels `createWorkspace` runs in this process, and why when they are the JS fallback:
 * `{ kind: 'wasm-simd' }`, or `{ kind: 'js', reason }` (forced by PIKT_LINALG_KERNELS=js, no
 * WebAssembly SIMD in this runtime, or the kernel module failed to compile, which also warns).
 * Reports record it so a slow run can be told apart from a broken one.
 */
export function linalgKernels(): LinalgKernels {
  kernelModule();
  return { ...(chosen as LinalgKernels) };
}


/** The kernels, all on byte offsets into one memory (see kernels.ts for the contracts). */
export interface KernelSet {
  dot(px: number, py: number, n: number): number;
  axpy(alpha: number, px: number, py: number, n: number): void;
  symvRow(pa: number, pv: number, pp: number, vi: number, len: number): number;
  syr2Row(pa: number, pv: number, pw: number, vi: number, wi: number, len: number): void;
  syr2SymvRow(pa: number, pv: number, pw: number, vi: number, wi: number, pu: number, pp: number, ui: number, len: number): number;
  rot(pa: number, pb: number, c: number, s: number, len: number): void;
  gemvF32_1(pa: number, rows: number, cols: number, ld: number, px: number, py: number, stride: number): void;
  gemvF32_2(pa: number, rows: number, cols: number, ld: number, px: number, py: number, stride: number): void;
  gemvF32_4(pa: number, rows: number, cols: number, ld: number, px: number, py: number, stride: number): void;
  symvF32_1(pa: number, rows: number, cols: number, ld: number, pxJ: number, pyJ: number, pxI: number, pyI: number, stride: number): void;
  symvF32_2(pa: number, rows: number, cols: number, ld: number, pxJ: number, pyJ: number, pxI: number, pyI: number, stride: number): void;
  symvF32_4(pa: number, rows: number, cols: number, ld: number, pxJ: number, pyJ: number, pxI: number, pyI: number, stride: number): void;
  gramTilesF32(pA: number, pB: number, groups: number, groupBytes: number, pOut0: number, pOut1: number): void;
  gramTilesF64(pA: number, pB: number, groups: number, groupBytes: number, pOut0: number, pOut1: number): void;
  gemvF64_1(pa: number, rows: number, cols: number, ld: number, px: number, py: number, stride: number): void;
  gemvF64_2(pa: number, rows: number, cols: number, ld: number, px: number, py: number, stride: number): void;
  gemvF64_4(pa: number, rows: number, cols: number, ld: number, px: number, py: number, stride: number): void;
  /** Float32 panel products (panel-product-kernel.ts): all eight take (pa, rows, cols, ld, pxJ, pyJ, pxI, pyI). */
  panelSymvF32_1: PanelProduct;
  panelSymvF32_2: PanelProduct;
  panelSymvF32_4: PanelProduct;
  panelGemvF32_1: PanelProduct;
  panelGemvF32_2: PanelProduct;
  panelGemvF32_4: PanelProduct;
  panelFlushF32(p32: number, p64: number, count: number): void;
  /** The two-layer NTK's arc-cosine transform of a float32 row of inner products, in place (arccos-kernel.ts). */
  arcCosRowF32(p: number, count: number, ni: number, pNorms: number, k2: number): void;
  /** Exact int32 inner products of int16 4-row panels over the listed chunks (gram-tile-kernel.ts), for integer points. */
  gramTilesI16(pA: number, pB: number, groups: number, groupBytes: number, pOut0: number, pOut1: number, pList: number, count: number): void;
  /** arcCosRowF32 for points s_i c_i with integer c_i, on the int32 c_i . c_j at p (arccos-kernel.ts). */
  arcCosRowI32(p: number, count: number, ni: number, pNorms: number, k2: number, si: number, pScales: number): void;
}

export type PanelProduct = (pa: number, rows: number, cols: number, ld: number, pxJ: number, pyJ: number, pxI: number, pyI: number) => void;

/**
 * A region of linear memory with a bump allocator and the kernels bound to it. Large dense work
 * (the eigensolver's matrix, Gram blocks) lives here so the SIMD kernels reach it without copies;
 * JS reads and writes it through typed-array views. Memories are separate from tfjs's wasm heap.
 */
export interface Workspace {
  readonly kind: 'wasm-simd' | 'js';
  readonly buffer: ArrayBuffer;
  readonly k: KernelSet;
  /** Reserve `bytes` (16-byte aligned); returns the byte offset. */
  alloc(bytes: number): number;
  f64(ptr: number, length: number): Float64Array;
  f32(ptr: number, length: number): Float32Array;
  /** Bytes still free. */
  readonly free: number;
  /** The memory and compiled module when shared (for worker threads to instantiate the kernels on it). */
  readonly shared?: { memory: WebAssembly.Memory; module: WebAssembly.Module };
}

const PAGE = 65536;
/** One memory holds at most 4 GiB (wasm32); callers shard larger data across workspaces. */
export const MAX_WORKSPACE_BYTES = 65536 * PAGE - PAGE;

const compiled: { plain?: WebAssembly.Module | null; shared?: WebAssembly.Module | null } = {};

/** The compiled kernel module, or null where WebAssembly SIMD is unavailable (then JS kernels run). */
function kernelModule(shared = false): WebAssembly.Module | null {
  const key = shared ? 'shared' : 'plain';
  const cached = compiled[key];
  if (cached !== undefined) return cached;
  let mod: WebAssembly.Module | null = null;
  if (shared && typeof SharedArrayBuffer !== 'function') {
    compiled[key] = null;
    return null;
  }
  if (!shared) {
    const selected = selectKernelModule(() => assembleModule(kernelDefinitions()), runtimeEnv());
    mod = selected.module;
    chosen = selected.info;
    if (selected.warning) announceFallback(selected.warning);
  } else if (kernelModule(false)) {
    try {
      const bytes = assembleModule(kernelDefinitions(), { shared: true });
      if (WebAssembly.validate(bytes)) mod = new WebAssembly.Module(bytes);
    } catch {
      mod = null; // shared memories unsupported here: unshared workspaces still run the SIMD kernels
    }
  }
  compiled[key] = mod;
  return mod;
}

/**
 * A workspace of `bytes` bytes. `prefer: 'js'` forces the plain-JS kernels (the tests use it to
 * check the wasm kernels against them). `shared: true` backs it with a shared memory that worker
 * threads can run the same kernels on (falls back to unshared where SharedArrayBuffer is missing).
 */
export function createWorkspace(bytes: number, prefer: 'auto' | 'js' = 'auto', opts: { shared?: boolean } = {}): Workspace {
  const need = Math.max(PAGE, Math.ceil((bytes + 64) / PAGE) * PAGE);
  if (need > MAX_WORKSPACE_BYTES) throw new OutOfMemoryBudgetError('one linear-memory workspace', need, MAX_WORKSPACE_BYTES);
  const wantShared = opts.shared === true && prefer !== 'js' && kernelModule(true) !== null;
  const mod = prefer === 'js' ? null : kernelModule(wantShared);
  let buffer: ArrayBuffer;
  let k: KernelSet;
  let shared: Workspace['shared'];
  if (mod) {
    const pages = need / PAGE;
    const memory = wantShared ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }) : new WebAssembly.Memory({ initial: pages });
    const instance = new WebAssembly.Instance(mod, { env: { memory } });
    k = instance.exports as unknown as KernelSet;
    buffer = memory.buffer as ArrayBuffer;
    if (wantShared) shared = { memory, module: mod };
  } else {
    buffer = new ArrayBuffer(need);
    k = jsKernels(buffer);
  }
  let top = 16; // offset 0 stays unused so a zero pointer is never valid data
  return {
    kind: mod ? 'wasm-simd' : 'js',
    buffer,
    k,
    alloc(n: number): number {
      const ptr = top;
      const size = Math.ceil(n / 16) * 16;
      if (ptr + size > buffer.byteLength) throw new OutOfMemoryBudgetError('workspace allocation', ptr + size, buffer.byteLength);
      top = ptr + size;
      return ptr;
    },
    f64: (ptr, length) => new Float64Array(buffer, ptr, length),
    f32: (ptr, length) => new Float32Array(buffer, ptr, length),
    get free() { return buffer.byteLength - top; },
    shared,
  };
}
