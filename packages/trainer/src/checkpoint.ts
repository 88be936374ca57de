import { PiktError, type EvalEndEvent, type JsonObject } from '@pikt/core';
import type { OptimizerKind } from './config.js';
import type { DivergenceMonitorState } from './divergence.js';

/** A tensor as plain data (row-major). */
export interface ArrayTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** The metrics of one update: loss terms on its batch at W(k-1), and ||W(k) - W(0)||_F. */
export interface StepRecord {
  step: number;
  loss: number;
  terms: Record<string, number>;
  weightDistance?: number;
  /** The kernel drift at W(step) when the run tracked it (`kernelDrift`). */
  kernelDrift?: number;
}

export const CHECKPOINT_FORMAT = 'pikt-checkpoint/1';

/**
 * Everything needed to continue a run bit-identically: parameters, optimizer state, the step, the
 * RNG key and the divergence monitor's memory, plus the metrics so far so a resumed run returns the
 * whole history.
 */
export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  runId: string;
  /** Hash of the run's config; a checkpoint only resumes the run it came from. */
  configHash: string;
  config: JsonObject;
  /** Number of updates completed. */
  step: number;
  /** tfjs backend that produced it (bit-identical resume needs the same one). */
  backend: string;
  rngKey: [number, number];
  params: Record<string, ArrayTensor>;
  optimizer: { kind: OptimizerKind; t: number; slots: Record<string, ArrayTensor> };
  monitor: DivergenceMonitorState;
  history: StepRecord[];
  evals: EvalEndEvent[];
}

/** Where checkpoints live. `save` must be atomic: a crash leaves the previous checkpoint or the new one. */
export interface CheckpointStore {
  /** Human-readable location for messages (a directory, "memory"). */
  readonly location: string;
  load(): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
}

interface TensorEntry { shape: number[]; dtype: 'float32' | 'int32'; offset: number; length: number }

/** The JSON half of a serialized checkpoint: tensors replaced by byte ranges into the binary half. */
export type CheckpointManifest = Omit<Checkpoint, 'params' | 'optimizer'> & {
  params: Record<string, TensorEntry>;
  optimizer: { kind: OptimizerKind; t: number; slots: Record<string, TensorEntry> };
  byteLength: number;
};

/**
 * Split a checkpoint into a JSON manifest and one little-endian byte buffer holding every tensor
 * (4-byte elements, so each tensor starts 4-byte aligned). Parameter and slot order is sorted by name
 * so equal checkpoints give equal bytes.
 */
export function serializeCheckpoint(c: Checkpoint): { manifest: CheckpointManifest; bytes: Uint8Array } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const place = (group: Record<string, ArrayTensor>): Record<string, TensorEntry> => {
    const out: Record<string, TensorEntry> = {};
    for (const name of Object.keys(group).sort()) {
      const t = group[name];
      const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      out[name] = { shape: [...t.shape], dtype: t.dtype, offset, length: t.data.length };
      chunks.push(bytes);
      offset += bytes.byteLength;
    }
    return out;
  };
  const params = place(c.params);
  const slots = place(c.optimizer.slots);
  const bytes = new Uint8Array(offset);
  let at = 0;
  for (const ch of chunks) { bytes.set(ch, at); at += ch.byteLength; }
  const manifest: CheckpointManifest = {
    ...c,
    params,
    optimizer: { kind: c.optimizer.kind, t: c.optimizer.t, slots },
    byteLength: offset,
  };
  return { manifest: structuredClone(manifest), bytes };
}

/** Rebuild a checkpoint from its manifest and bytes, checking the format and every byte range. */
export function deserializeCheckpoint(manifest: CheckpointManifest, bytes: Uint8Array, where = 'checkpoint'): Checkpoint {
  if (manifest?.format !== CHECKPOINT_FORMAT) {
    throw new PiktError('PIKT_BAD_CHECKPOINT', `${where} has format ${JSON.stringify(manifest?.format)}, expected "${CHECKPOINT_FORMAT}".`,
      'Point resume at a directory written by @pikt/trainer, or start a fresh run.');
  }
  if (bytes.byteLength !== manifest.byteLength) {
    throw new PiktError('PIKT_BAD_CHECKPOINT', `${where}: the weights hold ${bytes.byteLength} bytes, the manifest says ${manifest.byteLength}.`,
      'The checkpoint is incomplete or mixed with another; delete it and restart the run.');
  }
  // Copy into an aligned buffer so typed-array views are valid whatever the source's byteOffset.
  const buffer = bytes.slice().buffer;
  const read = (group: Record<string, TensorEntry>): Record<string, ArrayTensor> => {
    const out: Record<string, ArrayTensor> = {};
    for (const [name, e] of Object.entries(group)) {
      const size = e.shape.reduce((a, b) => a * b, 1);
      if (size !== e.length || e.offset + 4 * e.length > buffer.byteLength) {
        throw new PiktError('PIKT_BAD_CHECKPOINT', `${where}: tensor "${name}" (shape [${e.shape}]) does not fit the weights file.`,
          'The checkpoint is corrupt; delete it and restart the run.');
      }
      const data = e.dtype === 'int32' ? new Int32Array(buffer, e.offset, e.length) : new Float32Array(buffer, e.offset, e.length);
      out[name] = { shape: [...e.shape], dtype: e.dtype, data };
    }
    return out;
  };
  const { byteLength: _unused, ...rest } = manifest;
  void _unused;
  return {
    ...structuredClone(rest),
    params: read(manifest.params),
    optimizer: { kind: manifest.optimizer.kind, t: manifest.optimizer.t, slots: read(manifest.optimizer.slots) },
  };
}

/** Checkpoints kept in memory (browsers, tests): each save replaces the last one. */
export function createMemoryCheckpointStore(): CheckpointStore & { saves: number } {
  let saved: { manifest: CheckpointManifest; bytes: Uint8Array } | undefined;
  return {
    location: 'memory',
    saves: 0,
    async load() {
      return saved ? deserializeCheckpoint(saved.manifest, saved.bytes, 'memory checkpoint') : undefined;
    },
    async save(c) {
      saved = serializeCheckpoint(c);
      this.saves += 1;
    },
  };
}
