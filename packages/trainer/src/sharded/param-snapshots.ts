import * as tf from '@tensorflow/tfjs-core';
import type { ParamTensors } from '@pikt/core';

/** Which parameters to hand out during a run (train.ts `snapshots`): W(k) at the steps `at`. */
export interface SnapshotOptions<P extends ParamTensors = ParamTensors> {
  /** Steps k (0 = the starting parameters); steps the run never reaches are skipped. */
  at: readonly number[];
  /** Receives W(k) as tensors the caller owns (dispose them), in step order, before any event of step k. */
  onParams: (step: number, params: P) => void | Promise<void>;
}

/**
 * The snapshots of one run. `take(k)` runs right after update k (and at the start step) and, at a
 * snapshot step, asks `gather` for the parameters: a synchronous clone in the main thread (a clone
 * copies nothing), or a promise that the sharded state fills once its queued updates ran (the
 * shards' rows gathered). `deliver(step)` hands out every snapshot up to `step`, before that step's
 * events; `discard` frees the ones a failed run never handed out.
 */
export function createParamSnapshots<P extends ParamTensors>(options: SnapshotOptions<P> | undefined, gather: () => Promise<ParamTensors>) {
  const at = new Set(options?.at ?? []);
  const pending: { step: number; params: Promise<ParamTensors> }[] = [];
  return {
    take(step: number): void {
      if (!options || !at.has(step)) return;
      const params = gather();
      params.catch(() => undefined); // a failed gather is the run's error, raised by its read
      pending.push({ step, params });
    },
    async deliver(upTo: number): Promise<void> {
      while (options && pending.length > 0 && pending[0].step <= upTo) {
        const s = pending.shift() as (typeof pending)[number];
        await options.onParams(s.step, (await s.params) as P);
      }
    },
    async discard(): Promise<void> {
      for (const s of pending.splice(0)) {
        try { tf.dispose(Object.values(await s.params)); } catch { /* never gathered: nothing to free */ }
      }
    },
  };
}

/** Clones of every parameter tensor (the caller owns them). */
export function cloneParams(params: ParamTensors): ParamTensors {
  return Object.fromEntries(Object.entries(params).map(([name, t]) => [name, tf.clone(t)]));
}
