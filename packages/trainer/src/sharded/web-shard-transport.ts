import type { ShardChannel, ShardTransport } from './node-shard-transport.js';

/** What a browser's `Worker` offers (also satisfied by test doubles). */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: { data?: unknown; message?: string }) => void): void;
  terminate(): void;
}

/**
 * Shards on Web Workers (browsers): `make(index)` starts a worker whose module calls
 *   serveShard({ post: (m, t) => self.postMessage(m, t ?? []), onMessage: (h) => self.addEventListener('message', (e) => h(e.data)) }, activate)
 * with `activate` selecting the tfjs backend in that worker (after `setWasmPaths` for wasm under a
 * bundler). A worker error fails the sharded student with the worker's index, as in Node.
 */
export function createWebWorkerShardTransport(make: (index: number) => WebWorkerLike): ShardTransport {
  return {
    async spawn(index): Promise<ShardChannel> {
      const worker = make(index);
      let failure: ((err: Error) => void) | undefined;
      worker.addEventListener('error', (e) => failure?.(new Error(e.message ?? 'the Web Worker failed (see the browser console)')));
      worker.addEventListener('messageerror', () => failure?.(new Error('a message from the Web Worker could not be read')));
      return {
        post: (m, transfer) => worker.postMessage(m, transfer ?? []),
        onMessage: (h) => worker.addEventListener('message', (e) => h(e.data)),
        onFailure: (h) => { failure = h; },
        async terminate() { worker.terminate(); },
      };
    },
  };
}
