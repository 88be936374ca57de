import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckValues } from '../stats.js';

/** One set-up case on the pikt side: each run() is one timed run (setup and checks untimed). */
export interface PiktWorkload {
  info: Record<string, unknown>;
  run(): Promise<{ ms: number; check: CheckValues }>;
  dispose?(): Promise<void> | void;
}

/** Raw little-endian arrays for the peer (np.fromfile). */
export function writeArray(dir: string, name: string, a: Float32Array | Float64Array): void {
  writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}

export function writeMeta(dir: string, meta: Record<string, unknown>): void {
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
}

/** 16 fixed entries (i, j) of an n x n matrix, the same positions the peers read (peers/common.py). */
export function sampleEntries(h: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < 16; t++) {
    const i = (t * 7919) % n, j = (t * 104729 + 13) % n;
    out.push(h[i * n + j]);
  }
  return out;
}

/** Sum and Frobenius norm (float64 accumulation). */
export function sumAndFro(h: ArrayLike<number>): { sum: number; fro: number } {
  let s = 0, f = 0;
  for (let i = 0; i < h.length; i++) { s += h[i]; f += h[i] * h[i]; }
  return { sum: s, fro: Math.sqrt(f) };
}

/** Activates the wasm backend (tfjs workloads) and returns what it reports. */
export async function activateWasm(): Promise<Record<string, unknown>> {
  const { createWasmBackend } = await import('@pikt/backend-wasm');
  const active = await createWasmBackend().activate();
  return { backend: active.id, ...active.features };
}

/**
 * Threads the trainer trains on: `requested`, or for 'auto' one per core (at most 2, the peers'
 * thread count) when this @pikt/trainer accepts the `workers` setting (width sharding), else 1.
 */
export async function resolveWorkers(requested: number | 'auto'): Promise<number> {
  if (requested !== 'auto') return requested;
  const [{ validateSettings }, { availableParallelism }] = await Promise.all([import('@pikt/trainer'), import('node:os')]);
  try {
    validateSettings({ seed: 1, optimizer: { kind: 'gd', lr: 1 }, steps: 1, workers: 2 });
  } catch {
    return 1;
  }
  return Math.min(2, availableParallelism());
}
