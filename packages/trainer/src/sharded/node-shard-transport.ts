import { PiktError } from '@pikt/core';
import type { ShardEndpoint } from './shard-protocol.js';

/** One shard's channel plus its lifetime, as a transport makes it. */
export interface ShardChannel extends ShardEndpoint {
  /** Called once if the thread fails outside a request (an uncaught error) or exits unasked. */
  onFailure(handler: (err: Error) => void): void;
  /** Stop the thread; resolves once it has exited. */
  terminate(): Promise<void>;
}

/** Starts shard threads: Node worker_threads here; a browser app passes one that makes Web Workers. */
export interface ShardTransport {
  spawn(index: number): Promise<ShardChannel>;
}

let live = 0;

/** Shard threads of this process that have started and not yet exited (all transports made here). */
export function liveShardThreads(): number {
  return live;
}

/**
 * Shards on Node's worker_threads. `entry` is the thread's module: by default the built
 * `node-shard-worker.js` beside this file, or the path in the environment variable
 * PIKT_SHARD_WORKER (for running from TypeScript sources, which a thread cannot load: bundle
 * node-shard-worker.ts first, as the tests do).
 */
export function createNodeShardTransport(entry?: URL | string): ShardTransport {
  return {
    async spawn(index) {
      let wt: typeof import('node:worker_threads');
      try {
        wt = await import('node:worker_threads');
      } catch {
        throw new PiktError('PIKT_SHARDS_UNAVAILABLE', 'Sharded training needs worker threads, and node:worker_threads is not available here.',
          'Use workers: 1, or in a browser pass a transport that starts Web Workers running serveShard.');
      }
      const module = entry ?? defaultEntry();
      const worker = new wt.Worker(module);
      live += 1;
      let exited = false;
      let failure: ((err: Error) => void) | undefined;
      let asked = false;
      const exit = new Promise<void>((resolve) => worker.once('exit', (code) => {
        exited = true;
        live -= 1;
        if (!asked) failure?.(new Error(`the thread exited with code ${code}`));
        resolve();
      }));
      worker.on('error', (err) => {
        const missing = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' || /^Cannot find module/.test(err.message);
        // From TypeScript sources there is no built thread module: say which file was tried and how to give one.
        failure?.(missing ? new Error(`${err.message.split('\n')[0]} (the shard thread module ${String(module)}; build @pikt/trainer, or set PIKT_SHARD_WORKER to a bundled node-shard-worker.ts)`) : err);
      });
      return {
        post: (m, transfer) => worker.postMessage(m, transfer ?? []),
        onMessage: (h) => worker.on('message', h),
        onFailure: (h) => { failure = h; },
        async terminate() {
          asked = true;
          if (!exited) await worker.terminate();
          await exit;
        },
      };
    },
  };
}

function defaultEntry(): URL | string {
  const fromEnv = typeof process !== 'undefined' ? process.env.PIKT_SHARD_WORKER : undefined;
  // worker_threads takes absolute paths and ones starting with ./ or ../ (relative to the working directory).
  if (fromEnv) return /^(\/|\.\.?\/|[A-Za-z]:|file:)/.test(fromEnv) ? fromEnv : `./${fromEnv}`;
  const file = 'node-shard-worker.js'; // a variable, so bundlers do not try to resolve it for browsers
  return new URL(`./${file}`, import.meta.url);
}
