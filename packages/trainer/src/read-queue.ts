import * as tf from '@tensorflow/tfjs-core';

/** One evaluation waiting to be read: its tensors, or none yet while it waits for the next step's forward pass. */
export interface PendingEval {
  split: 'train' | 'test';
  withOutputs: boolean;
  /** Logits [n, K]; undefined until filled (a train evaluation taken from the next step). */
  logits?: tf.Tensor;
  /** The evaluated terms' values [T]. */
  values?: tf.Tensor;
  evaluated: readonly string[];
}

/** What the loop computed at step k and has not read yet: the update's term values, ||W - W(0)||^2 sums, evaluations at W(k). */
export interface PendingStep {
  step: number;
  /** Term values [T] of update k (absent for step 0, which has evaluations only). */
  values?: tf.Tensor;
  /** Per-parameter sums ||p - p(0)||_F^2 after update k. */
  distance?: tf.Tensor;
  evals: PendingEval[];
  /** The kernel drift at W(k) once its patterns are in the tracker's hands (`kernelDrift`). */
  drift?: Promise<number>;
  /** True while the drift at W(k) waits for the next update's forward pass (its patterns). */
  driftWaiting?: boolean;
}

/** The numbers of a pending step after the read, in the same shape. */
export interface ReadStep {
  step: number;
  values?: Float32Array;
  distance?: Float32Array;
  drift?: Promise<number>;
  evals: Array<{ split: 'train' | 'test'; withOutputs: boolean; logits: Float32Array; values: Float32Array; evaluated: readonly string[] }>;
}

/**
 * The loop's pending reads. GPU backends have no fast synchronous read and every read stalls the
 * pipeline, so the loop keeps each step's small result tensors here and reads them all with one
 * `await data()` of their concatenation every `readEvery` steps (issue 10). Reading never changes
 * the numbers: the same tensors are read, later.
 */
export function createReadQueue() {
  let pending: PendingStep[] = [];
  const tensorsOf = (p: PendingStep): tf.Tensor[] => [
    ...(p.values ? [p.values] : []), ...(p.distance ? [p.distance] : []),
    ...p.evals.flatMap((e) => [e.logits, e.values].filter((t): t is tf.Tensor => t !== undefined)),
  ];
  return {
    /** Steps waiting (step 0's evaluations count as one). */
    get size() { return pending.length; },
    push(p: PendingStep): void { pending.push(p); },
    /** The newest pending step, if it is step k. */
    at(k: number): PendingStep | undefined {
      const last = pending[pending.length - 1];
      return last?.step === k ? last : undefined;
    },
    /** A train evaluation still waiting for its tensors (filled from the next step's forward pass). */
    awaitingForward(): PendingEval | undefined {
      return pending[pending.length - 1]?.evals.find((e) => e.logits === undefined);
    },
    /** Forget an evaluation that failed (its step's other numbers stay). */
    drop(e: PendingEval): void {
      for (const p of pending) p.evals = p.evals.filter((x) => x !== e);
      tf.dispose([e.logits, e.values].filter((t): t is tf.Tensor => t !== undefined));
    },
    /** The newest pending step when its kernel drift waits for the next forward pass. */
    awaitingDrift(): PendingStep | undefined {
      const last = pending[pending.length - 1];
      return last?.driftWaiting ? last : undefined;
    },
    /** Read every pending step but the newest `hold` (one readback), in order, and free their tensors. */
    async read(hold = 0): Promise<ReadStep[]> {
      const steps = pending.slice(0, pending.length - hold);
      pending = pending.slice(pending.length - hold);
      const tensors = steps.flatMap(tensorsOf);
      try {
        if (steps.some((p) => p.evals.some((e) => e.logits === undefined))) throw new Error('read-queue: an evaluation is still waiting for its forward pass');
        const flat = tensors.length === 0 ? new Float32Array(0) : await readConcatenated(tensors);
        let at = 0;
        const next = (t: tf.Tensor | undefined): Float32Array | undefined => {
          if (!t) return undefined;
          const out = flat.subarray(at, at + t.size);
          at += t.size;
          return out;
        };
        return steps.map((p) => ({
          step: p.step, values: next(p.values), distance: next(p.distance), ...(p.drift ? { drift: p.drift } : {}),
          evals: p.evals.map((e) => ({ split: e.split, withOutputs: e.withOutputs, logits: next(e.logits) as Float32Array, values: next(e.values) as Float32Array, evaluated: e.evaluated })),
        }));
      } finally {
        tf.dispose(tensors);
      }
    },
    dispose(): void {
      tf.dispose(pending.flatMap(tensorsOf));
      pending = [];
    },
  };
}

export type ReadQueue = ReturnType<typeof createReadQueue>;

/** All tensors' values in order, as one float32 array, from a single readback. */
async function readConcatenated(tensors: tf.Tensor[]): Promise<Float32Array> {
  const flat = tf.tidy(() => (tensors.length === 1 ? tf.reshape(tensors[0], [-1]) : tf.concat(tensors.map((t) => tf.reshape(t, [-1])))));
  try {
    return Float32Array.from(await flat.data());
  } finally {
    flat.dispose();
  }
}
