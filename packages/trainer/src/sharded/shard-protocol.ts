import type { ShardKernelInit } from './shard-kernel.js';

/** The tfjs backends a shard can run on (each thread registers its own). */
export type ShardBackend = 'wasm' | 'cpu';
export const SHARD_BACKENDS: readonly ShardBackend[] = ['wasm', 'cpu'];

/** Coordinator -> shard. Every request carries an id, answered by exactly one reply with that id. */
export type ShardRequest =
  | { type: 'init'; id: number; backend: ShardBackend; kernel: ShardKernelInit }
  | { type: 'forward'; id: number; split: string; rows?: Int32Array; keep: boolean }
  | { type: 'update'; id: number; G: Float32Array; lr: number }
  | { type: 'params'; id: number };

/** Shard -> coordinator. */
export type ShardReply =
  | { type: 'ready'; id: number; backend: string }
  | { type: 'forward'; id: number; u: Float32Array; ms: number }
  | { type: 'update'; id: number; squaredDistance?: number; ms: number }
  | { type: 'params'; id: number; W: Float32Array; a: Float32Array }
  | { type: 'error'; id: number; message: string };

/**
 * Both ends of a message channel to one shard, whatever carries it: Node's worker_threads (this
 * package's `createNodeShardTransport`) or a browser's Web Worker (`postMessage` / `onmessage`).
 */
export interface ShardEndpoint {
  post(message: ShardRequest | ShardReply, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (message: unknown) => void): void;
}
