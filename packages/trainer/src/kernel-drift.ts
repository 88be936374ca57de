import type * as tf from '@tensorflow/tfjs-core';
import {
  InvalidOptionError, PiktError, ShapeMismatchError,
  type ActivationPatterns, type ActivationPatternSupport, type ModelV1, type ParamTensors,
} from '@pikt/core';
import type { GradientMode } from './loss-gradients.js';

/**
 * What reads a step's activation patterns and returns its kernel drift: structurally, the
 * `KernelDriftTracker` of @pikt/ntk (createKernelDriftTracker(x, W(0), ...)), built for the run's
 * training points in their order (rows = n) and the model's width (neurons = m).
 */
export interface KernelDriftConsumer {
  readonly rows: number;
  readonly neurons: number;
  /** Reads the blocks (await data(), or in place before any other tfjs op) and returns the drift; the trainer disposes them once it resolves. */
  fromTensorBlocks(blocks: readonly tf.Tensor2D[], how: { layout: ActivationPatterns['layout']; values: ActivationPatterns['values'] }): Promise<number>;
}

/** `TrainOptions.kernelDrift`: which steps' drift to track, and by what. */
export interface KernelDriftOption {
  tracker: KernelDriftConsumer;
  /** Steps k (1..totalSteps) whose drift at W(k) is reported, or 'every' (default) for all of them. */
  at?: readonly number[] | 'every';
}

/** One tracked drift: drift(k) = ||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F. */
export interface KernelDriftRecord {
  step: number;
  drift: number;
}

/** A validated `kernelDrift` option: the consumer, the model's pattern support and the steps. */
export interface KernelDriftPlan {
  tracker: KernelDriftConsumer;
  support: ActivationPatternSupport;
  has(step: number): boolean;
}

/**
 * Check `kernelDrift` against the run before any tensor is made: the model must hand out the
 * patterns of its own forward pass (`activationPatterns` and `applyWithVjp`, vjp gradients), every
 * update must see all n rows (the tracker's points) and run in this thread, and the tracker must be
 * built for those n points and the model's m neurons.
 */
export function resolveKernelDrift(
  option: KernelDriftOption | undefined, model: ModelV1, run: { n: number; totalSteps: number; fullBatch: boolean; workers: number; mode: GradientMode },
): KernelDriftPlan | undefined {
  if (option === undefined) return undefined;
  const fail = (code: string, why: string, hint: string): never => { throw new PiktError(code, `kernelDrift cannot be tracked: ${why}.`, hint); };
  const support = model.activationPatterns;
  if (!support || !model.applyWithVjp) {
    fail('PIKT_NO_ACTIVATION_PATTERNS', `model "${model.id}" does not hand out its activation patterns (no activationPatterns/applyWithVjp)`,
      'Use a model with activationPatterns (the wide student of @pikt/models), or compute the drift from saved weights (kernelDriftFromWeights in @pikt/ntk).');
  }
  const s = support as ActivationPatternSupport;
  const why = s.unavailable(run.n);
  if (why !== undefined) fail('PIKT_NO_ACTIVATION_PATTERNS', `model "${model.id}": ${why}`, "For the wide student: trainLayers 'first' and masks that fit (4 n m bytes <= 512 MiB).");
  if (run.mode !== 'vjp') fail('PIKT_KERNEL_DRIFT_AUTODIFF', 'a loss term reads the student\'s features, so gradients come from autodiff, whose forward pass keeps no patterns', 'Drop the feature term, or compute the drift from saved weights (kernelDriftFromWeights).');
  if (!run.fullBatch) fail('PIKT_KERNEL_DRIFT_MINI_BATCH', `mini-batch steps see only some of the ${run.n} training rows, but the drift needs the patterns of all of them`, 'Use full batches (optimizer gd without batchSize, or batchSize >= n).');
  if (run.workers > 1) fail('PIKT_KERNEL_DRIFT_WORKERS', `settings.workers is ${run.workers}; the sharded student's patterns stay in its worker threads`, 'Set workers to 1 when tracking the drift.');
  const t = option.tracker;
  if (typeof t?.fromTensorBlocks !== 'function') throw new InvalidOptionError('kernelDrift.tracker', t, 'a kernel drift tracker (createKernelDriftTracker in @pikt/ntk)');
  if (t.rows !== run.n) throw new ShapeMismatchError('kernelDrift.tracker rows (the training points)', [run.n], [t.rows]);
  if (t.neurons !== s.neurons) throw new ShapeMismatchError(`kernelDrift.tracker neurons (the width of model "${model.id}")`, [s.neurons], [t.neurons]);
  const at = option.at ?? 'every';
  if (at === 'every') return { tracker: t, support: s, has: () => true };
  if (!Array.isArray(at)) throw new InvalidOptionError('kernelDrift.at', at, "'every' or an array of steps");
  at.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 1 || k > run.totalSteps) {
      throw new InvalidOptionError(`kernelDrift.at[${i}]`, k, `a step in 1..${run.totalSteps} (drift(0) = 0 by definition)`);
    }
  });
  const steps = new Set(at);
  return { tracker: t, support: s, has: (k) => steps.has(k) };
}

/** Tracked drifts of a run's history, in step order. */
export function driftRecords(history: ReadonlyArray<{ step: number; kernelDrift?: number }>): KernelDriftRecord[] {
  return history.filter((r) => r.kernelDrift !== undefined).map((r) => ({ step: r.step, drift: r.kernelDrift as number }));
}

/**
 * The drifts in flight: each starts when its patterns exist (the next update's forward pass, or a
 * forward pass of its own) and owns them until the consumer has read them, then frees them.
 */
export function createDriftRuns(plan: KernelDriftPlan) {
  const inflight = new Set<Promise<unknown>>();
  return {
    /** Hand `patterns` to the tracker; the promise resolves with the drift after they are freed. */
    start(patterns: ActivationPatterns): Promise<number> {
      let p: Promise<number>;
      try {
        p = plan.tracker.fromTensorBlocks(patterns.blocks, { layout: patterns.layout, values: patterns.values });
      } catch (err) {
        p = Promise.reject(err);
      }
      const done = p.finally(() => { for (const b of patterns.blocks) b.dispose(); });
      const settled = done.then(() => undefined, () => undefined);
      inflight.add(settled);
      void settled.then(() => inflight.delete(settled));
      return done;
    },
    /** The patterns at `params` by a forward pass of their own, handed to the tracker. */
    startStandalone(params: ParamTensors, x: tf.Tensor2D): Promise<number> {
      return this.start(plan.support.compute(params, x));
    },
    /** Wait for every drift still running (their patterns are freed when they settle). */
    async settle(): Promise<void> {
      await Promise.all([...inflight]);
    },
  };
}
