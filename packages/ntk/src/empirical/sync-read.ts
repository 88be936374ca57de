import * as tf from '@tensorflow/tfjs-core';
import { PiktError } from '@pikt/core';

/** Backends whose tensors live in host memory, so a synchronous read is a copy, not a GPU stall. */
const HOST_BACKENDS = ['cpu', 'wasm', 'tensorflow'];
/** Backends with no synchronous read at all (tfjs-backend-webgpu in Node). */
const NO_SYNC_BACKENDS = ['webgpu'];

/** A synchronous entry point was called on a backend without synchronous reads (webgpu). */
export class SyncReadUnavailableError extends PiktError {
  constructor(readonly fn: string, readonly asyncFn: string, readonly backend: string) {
    super('PIKT_NTK_SYNC_READ_UNAVAILABLE', `${fn} reads tensors synchronously, which backend "${backend}" cannot do (a GPU readback is asynchronous).`,
      `Call ${asyncFn} (it reads with await data()), or run on the cpu or wasm backend.`);
  }
}

/** True when `backend`'s tensors live in host memory (cpu, wasm, tfjs-node): a synchronous read is a copy. */
export function isHostBackend(backend: string = tf.getBackend()): boolean {
  return HOST_BACKENDS.includes(backend);
}

const warned = new Set<string>();

/**
 * The reader of the synchronous NTK entry points, meant for cpu/wasm (and tfjs-node), where a read
 * is a copy out of host memory. webgpu has no synchronous read: SyncReadUnavailableError naming
 * the async function. Other GPU backends (webgl) do have one but stall on it: it still works, and
 * the first use per function says so once (console.warn), pointing to the async function.
 */
export function hostReader(fn: string, asyncFn: string, backend = tf.getBackend(), warn: (message: string) => void = console.warn): (t: tf.Tensor) => ArrayLike<number> {
  if (NO_SYNC_BACKENDS.includes(backend)) throw new SyncReadUnavailableError(fn, asyncFn, backend);
  if (!isHostBackend(backend) && !warned.has(`${fn}@${backend}`)) {
    warned.add(`${fn}@${backend}`);
    warn(`@pikt/ntk: ${fn} reads synchronously on backend "${backend}", which stalls on every GPU readback; ${asyncFn} gives the same result with await data().`);
  }
  return (t) => t.dataSync();
}
