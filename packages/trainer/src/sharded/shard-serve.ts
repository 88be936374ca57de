import * as tf from '@tensorflow/tfjs-core';
import { createShardKernel, type ShardKernel } from './shard-kernel.js';
import type { ShardBackend, ShardEndpoint, ShardReply, ShardRequest } from './shard-protocol.js';

/**
 * The shard side of the sharded student: answers the coordinator's requests over `endpoint`, one at
 * a time in arrival order. `activate` registers and selects the tfjs backend in this thread (each
 * thread has its own tfjs and its own wasm instance). Transport-agnostic: a Node worker_threads
 * entry (node-shard-worker.ts) and a browser Web Worker call it the same way. Errors are replied,
 * never thrown, so the coordinator can name the shard that failed.
 */
export function serveShard(endpoint: ShardEndpoint, activate: (backend: ShardBackend) => Promise<void>): void {
  let kernel: ShardKernel | undefined;
  let queue = Promise.resolve();
  const handle = async (req: ShardRequest): Promise<[ShardReply, ArrayBuffer[]]> => {
    const t0 = performance.now();
    switch (req.type) {
      case 'init':
        await activate(req.backend);
        kernel?.dispose();
        kernel = createShardKernel(req.kernel);
        return [{ type: 'ready', id: req.id, backend: tf.getBackend() }, []];
      case 'forward': {
        const u = await need(kernel).forward(req.split, req.rows, req.keep);
        return [{ type: 'forward', id: req.id, u, ms: performance.now() - t0 }, [u.buffer as ArrayBuffer]];
      }
      case 'update': {
        const squaredDistance = await need(kernel).update(req.G, req.lr);
        return [{ type: 'update', id: req.id, ms: performance.now() - t0, ...(squaredDistance === undefined ? {} : { squaredDistance }) }, []];
      }
      case 'params': {
        const { W, a } = await need(kernel).params();
        return [{ type: 'params', id: req.id, W, a }, [W.buffer as ArrayBuffer, a.buffer as ArrayBuffer]];
      }
    }
  };
  endpoint.onMessage((message) => {
    const req = message as ShardRequest;
    queue = queue.then(async () => {
      try {
        const [reply, transfer] = await handle(req);
        endpoint.post(reply, transfer);
      } catch (err) {
        endpoint.post({ type: 'error', id: req?.id ?? -1, message: err instanceof Error ? err.message : String(err) });
      }
    });
  });
}

function need(kernel: ShardKernel | undefined): ShardKernel {
  if (!kernel) throw new Error('the shard was not initialized (send init first)');
  return kernel;
}
