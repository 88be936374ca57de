import type { Rng } from '@pikt/core';
import { stepsPerEpoch } from './config.js';

/** Where update number `index` (0-based) falls: its epoch and the training rows it uses. */
export interface BatchSlot {
  epoch: number;
  /** Row indices into the training split, or undefined for the full batch in natural order. */
  rows?: Int32Array;
}

/**
 * The mini-batch schedule. Update `index` (0-based) belongs to epoch e = floor(index / S) with
 * S = ceil(n / batchSize) updates per epoch, and uses rows perm_e[b * B, min((b + 1) * B, n)) with
 * b = index mod S, where perm_e = root.child('batches').child(e).permutation(n). The permutation
 * depends only on the run's root key and e, never on what was drawn before, so a run resumed at any
 * step draws exactly the batches of the uninterrupted run. Full batches (gd, or batchSize >= n) use
 * every row in natural order.
 */
export function createBatchSchedule(root: Rng, n: number, batchSize: number | undefined) {
  const perEpoch = stepsPerEpoch(batchSize, n);
  const full = perEpoch === 1;
  const batches = root.child('batches');
  let cachedEpoch = -1;
  let cachedPerm: Int32Array | undefined;
  return {
    stepsPerEpoch: perEpoch,
    fullBatch: full,
    slot(index: number): BatchSlot {
      const epoch = Math.floor(index / perEpoch);
      if (full) return { epoch };
      if (epoch !== cachedEpoch) {
        cachedPerm = batches.child(epoch).permutation(n);
        cachedEpoch = epoch;
      }
      const b = index % perEpoch;
      const size = batchSize as number;
      return { epoch, rows: (cachedPerm as Int32Array).subarray(b * size, Math.min((b + 1) * size, n)) };
    },
  };
}

export type BatchSchedule = ReturnType<typeof createBatchSchedule>;
