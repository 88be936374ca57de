import * as tf from '@tensorflow/tfjs-core';
import { PiktError } from '@pikt/core';

/** Backends whose tensors live in host memory, so a synchronous read is a copy, not a GPU stall. */
const HOST_BACKENDS = ['cpu', 'wasm', 'tensorflow'];

/** A synchronous entry point was called on a backend without fast synchronous reads (webgl, webgpu). */
export class SyncReadUnavailableError extends PiktError {
  constructor(readonly fn: string, readonly asyncFn: string, readonly backend: string) {
    super('PIKT_NTK_SYNC_READ_UNAVAILABLE', `${fn} reads tensors synchronously, which backend "${backend}" cannot do quickly (a GPU readback stalls or is missing).`,
      `Call ${asyncFn} (it reads with await data()), or run on the cpu or wasm backend.`);
  }
}

/**
 * The reader of the synchronous NTK entry points: cpu/wasm (and tfjs-node) only, where a read is a
 * copy out of host memory. GPU backends get a SyncReadUnavailableError naming the async function.
 */
export function hostReader(fn: string, asyncFn: string, backend = tf.getBackend()): (t: tf.Tensor) => ArrayLike<number> {
  if (!HOST_BACKENDS.includes(backend)) throw new SyncReadUnavailableError(fn, asyncFn, backend);
  return (t) => t.dataSync();
}
