import { createWebWorkerShardTransport, type ShardTransport } from '@pikt/trainer';
import type { DemoState } from '../state.js';

/** Shard workers of a sharded run: the trainer splits the wide student's neurons between them. */
export const SHARDS = 2;
/**
 * From this width the student trains sharded: at m = 2048 a step's two matrix products take ~20 ms
 * on one thread, so two shards on two cores gain far more than the per-step messages cost (two
 * round trips carrying n floats); at small widths a step is too short for that to pay.
 */
export const SHARD_MIN_WIDTH = 1024;

/**
 * How many threads train the student: SHARDS for the wasm backend at widths >= SHARD_MIN_WIDTH (the
 * trainer shards only the wasm and cpu backends, and only outputs, so not for feature matching),
 * else 1 (this worker). Fixed, not read from the machine's core count, so the same state gives the
 * same numbers everywhere (sharding changes float32 summation order only).
 */
export function shardsFor(state: DemoState, featureMatching: boolean): number {
  return state.backend === 'wasm' && !featureMatching && state.width >= SHARD_MIN_WIDTH ? SHARDS : 1;
}

/** Shards as nested Web Workers of the training worker (shard-worker.ts: serveShard on wasm). */
export function webShardTransport(): ShardTransport {
  return createWebWorkerShardTransport((i) => new Worker(new URL('./shard-worker.ts', import.meta.url), { type: 'module', name: `pikt-shard-${i}` }));
}
