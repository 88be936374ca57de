// Entry module of one shard thread in Node (worker_threads): serves the coordinator over parentPort.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { ShardBackend } from './shard-protocol.js';
import { serveShard } from './shard-serve.js';

async function activate(backend: ShardBackend): Promise<void> {
  if (backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm'); // registers 'wasm' in this thread's tfjs
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread per shard: the shards are the parallelism
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tf.setBackend("${backend}") failed in the shard thread`);
  await tf.ready();
}

const port = parentPort;
if (port) {
  serveShard({ post: (m, transfer) => port.postMessage(m, transfer ?? []), onMessage: (h) => port.on('message', h) }, activate);
}
