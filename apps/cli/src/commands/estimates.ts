import { freemem, totalmem } from 'node:os';
import { PiktError } from '@pikt/core';

/**
 * Effective rate of the float64 kernel analysis (Hinf, dense eigendecomposition with vectors,
 * ~10 n^3 flops): measured on this project's machines, n = 2000 in 2.3 s, i.e. 10 n^3 / t = 35
 * GFLOP/s; 30 is used so estimates err long.
 */
export const ANALYSIS_FLOPS_PER_SECOND = 30e9;
/**
 * Student training rates per backend (flop/s): tfjs-wasm matmul 25-33 GFLOP/s and the tfjs cpu
 * backend 0.5 GFLOP/s (TOOLCHAIN.md, measured); other backends are taken at the wasm rate.
 */
export const TRAINING_FLOPS_PER_SECOND: Record<string, number> = { wasm: 25e9, cpu: 0.5e9 };
/**
 * tfjs-wasm caps its heap at 4 GiB and aborts at about 2 GB of live tensors (TOOLCHAIN.md): the
 * most a wasm run may hold.
 */
export const WASM_TENSOR_LIMIT = 2 * 1024 ** 3;
/** Work above this gets a warning with the estimate (10 minutes). */
export const LONG_WORK_SECONDS = 600;

/** What a command is about to allocate and compute, from the user's sizes. */
export interface WorkEstimate {
  what: string;
  /** Bytes of host memory (float64 analysis, data). */
  hostBytes: number;
  /** Bytes of tensors on the training backend (counted against the wasm heap on wasm). */
  tensorBytes: number;
  seconds: number;
  /** The flags that set the size, to name in the refusal (e.g. `--n or --m`). */
  flags: string;
}

/** Memory the machine can give: the free memory, but at least half the total (page cache is reclaimable), at most 90% of it. */
export function availableMemory(): number {
  return Math.min(0.9 * totalmem(), Math.max(freemem(), 0.5 * totalmem()));
}

/** Kernel analysis of n samples in d dimensions (+ nTest test rows): H, its eigenvectors, a workspace, H(test, train). */
export function analysisEstimate(n: number, d: number, nTest = 0): Pick<WorkEstimate, 'hostBytes' | 'seconds'> {
  return { hostBytes: 8 * (4 * n * n + nTest * n + (n + nTest) * d), seconds: (10 * n ** 3 + 2 * n * n * d + 2 * nTest * n * d) / ANALYSIS_FLOPS_PER_SECOND };
}

/**
 * Full-batch GD on the wide student f(x) = a^T relu(W x) / sqrt(m) (SCIENCE.md section 1): per
 * step ~6 n m d flops (forward 2 n m d, backward 4 n m d) and about six [n, m] float32
 * activations alive, plus W, its gradient and two optimizer moments ([m, d] each).
 */
export function studentEstimate(n: number, d: number, m: number, steps: number, backend: string): Pick<WorkEstimate, 'tensorBytes' | 'seconds'> {
  const rate = TRAINING_FLOPS_PER_SECOND[backend] ?? TRAINING_FLOPS_PER_SECOND.wasm;
  return { tensorBytes: 4 * (6 * n * m + 4 * m * d + n * d), seconds: (6 * n * m * d * steps) / rate };
}

/** The estimate is over the memory there is: says the estimate, the limit and the flag to change. */
export class WorkTooLargeError extends PiktError {
  constructor(readonly estimate: WorkEstimate, bytes: number, limit: number, where: string) {
    super('PIKT_TOO_LARGE', `${estimate.what} would need about ${gib(bytes)} of ${where}, more than the ${gib(limit)} available.`,
      `Lower ${estimate.flags} (memory grows with them; nothing was computed).`);
  }
}

/**
 * Check an estimate before any allocation: refuse above the memory available (host memory, and
 * the wasm tensor limit when training on wasm); return a warning line above LONG_WORK_SECONDS.
 */
export function checkEstimate(e: WorkEstimate, backend?: string, host = availableMemory()): string | undefined {
  if (!Number.isFinite(e.hostBytes) || e.hostBytes > host) throw new WorkTooLargeError(e, e.hostBytes, host, 'memory');
  if (backend !== undefined) {
    // 'auto' may pick wasm: hold it to wasm's limit.
    const wasm = backend === 'wasm' || backend === 'auto';
    const limit = wasm ? Math.min(WASM_TENSOR_LIMIT, host) : host;
    const where = wasm ? 'tensors (the wasm backend holds at most ~2 GiB of live tensors in its 4 GiB heap)' : 'tensor memory';
    if (!Number.isFinite(e.tensorBytes) || e.tensorBytes > limit) throw new WorkTooLargeError(e, e.tensorBytes, limit, where);
  }
  if (e.seconds > LONG_WORK_SECONDS) {
    return `[PIKT_LONG_WORK] ${e.what} is estimated at about ${inWords(e.seconds)} on this machine; lower ${e.flags} for a quicker run (Ctrl-C stops it).`;
  }
  return undefined;
}

function inWords(seconds: number): string {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} hours` : `${Math.round(seconds / 60)} minutes`;
}

/** Bytes in GiB with one decimal (TiB above 1024 GiB): the size a user compares with their machine's. */
function gib(bytes: number): string {
  const g = bytes / 1024 ** 3;
  return g >= 1024 ? `${(g / 1024).toFixed(1)} TiB` : `${g.toFixed(1)} GiB`;
}
