import { createWebWorkerShardTransport, type ShardTransport, type WebWorkerLike } from '@pikt/trainer';
import type { DemoState } from '../state.js';

/** Shard workers of a sharded run: the trainer splits the wide student's neurons between them. */
export const SHARDS = 2;
/**
 * From this much work per matrix product, n d m multiply-adds, the student trains sharded. Measured in
 * headless Chromium on 2 loaded cores (PIKT_BENCH_QUERY of the bench): MNIST n = 500, d = 64, m = 2048
 * (6.6e7) ran 1.3-1.5x faster on 2 shards; m = 1024 (3.3e7) and every plane set (d = 3) gained
 * nothing or lost a little: there a step is too short for the two message round trips to pay.
 */
export const SHARD_MIN_WORK = 2 ** 25;

/**
 * How many threads train the student: SHARDS for the wasm backend when n d m > SHARD_MIN_WORK (the
 * trainer shards only the wasm and cpu backends, and only outputs, so not for feature matching),
 * else 1 (this worker). Fixed, not read from the machine's core count, so the same state gives the
 * same numbers everywhere (sharding changes float32 summation order only).
 */
export function shardsFor(state: DemoState, task: { n: number; d: number }, featureMatching: boolean): number {
  return state.backend === 'wasm' && !featureMatching && task.n * task.d * state.width > SHARD_MIN_WORK ? SHARDS : 1;
}

/** Where a session gets its shard threads: `warm` starts them early, `transport` hands them to the trainer. */
export interface ShardPool {
  warm(): void;
  transport(): ShardTransport;
}

/**
 * Shards as nested Web Workers of the training worker (shard-worker.ts: serveShard on wasm). A fresh
 * worker loads its module and compiles the wasm binary (about a second for two on two busy cores), so
 * `warm` starts them while the session still trains the teacher and computes the theory, and a run
 * takes the warm ones. A run's end terminates its workers (a request still in flight could otherwise
 * answer the next run); the next session's `warm` starts new ones.
 */
export function createShardPool(make: (index: number) => Worker = (i) => new Worker(new URL('./shard-worker.ts', import.meta.url), { type: 'module', name: `pikt-shard-${i}` })): ShardPool {
  const idle: Array<WebWorkerLike | undefined> = [];
  const start = (i: number) => replaying(make(i));
  return {
    warm() {
      for (let i = 0; i < SHARDS; i++) idle[i] ??= start(i);
    },
    transport() {
      return createWebWorkerShardTransport((i) => {
        const w = idle[i] ?? start(i);
        idle[i] = undefined;
        return w;
      });
    },
  };
}

/** A worker that keeps the error events it raised before anyone listened, and hands them to the first listener. */
function replaying(worker: Worker): WebWorkerLike {
  const early: Record<string, Array<{ message?: string }> | null> = { error: [], messageerror: [] };
  for (const type of Object.keys(early)) worker.addEventListener(type, (e) => { early[type]?.push(e as { message?: string }); });
  return {
    postMessage: (m, transfer) => worker.postMessage(m, transfer),
    addEventListener(type, listener) {
      worker.addEventListener(type, (e) => listener(e as { data?: unknown; message?: string }));
      const queue = early[type];
      if (!queue) return;
      early[type] = null;
      for (const e of queue) listener(e);
    },
    terminate: () => worker.terminate(),
  };
}
