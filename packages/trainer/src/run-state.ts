import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidOptionError, ShapeMismatchError,
  type EvalEndEvent, type ModelV1, type ParamTensors, type Rng, type TrainerEvent, type TrainingClock,
} from '@pikt/core';
import { CHECKPOINT_FORMAT, type ArrayTensor, type Checkpoint, type StepRecord } from './checkpoint.js';
import { DivergenceError, type DivergenceMonitorState } from './divergence.js';
import { evalTensors, evaluateSplitAsync, summarizeSplit, type SplitEvaluation } from './evaluate.js';
import { createDriftRuns, type KernelDriftPlan } from './kernel-drift.js';
import { lossGradientTensors, summarizeTerms, type GradientMode } from './loss-gradients.js';
import { createOptimizer } from './optimizers.js';
import type { PreparedRun } from './run-setup.js';
import { createReadQueue, type PendingStep } from './read-queue.js';
import {
  disposeBatch, firstNonFinite, fromArrayTensor, gatherRows, rootOfSum, splitTensors, squaredDistances, toArrayTensorAsync,
} from './run-tensors.js';

/** One step's numbers after a read: what step-end carries. */
export interface StepNumbers {
  step: number;
  loss: number;
  terms: Record<string, number>;
  weightDistance?: number;
  kernelDrift?: number;
}

/** What the loop does with each step's numbers, in step order: observe may throw to stop the run there. */
export interface ReadHandlers {
  onStep(s: StepNumbers): Promise<void>;
  onEval(e: EvalEndEvent): Promise<void>;
}

/**
 * The tensors of a run and the operations of the loop on them: one update, evaluation, checkpoint
 * snapshots. Owns data tensors, parameters, W(0) and optimizer slots; `dispose` frees all but the
 * parameters handed out by `takeParams`.
 */
export type RunState = ReturnType<typeof createRunState>;

/** What the training loop uses of a run state: the one below, or the sharded one (settings.workers > 1). */
export type LoopState = Omit<RunState, 'takeParams' | 'dispose'> & {
  takeParams(): ParamTensors | Promise<ParamTensors>;
  dispose(): void | Promise<void>;
};

/**
 * With `drift` (the trainer's `kernelDrift`), the drift at W(k) is taken from update k + 1's
 * forward pass (its kept activation patterns), and by a forward pass of its own only where no
 * update follows before the numbers are read: the last step, an abort, a checkpoint step.
 */
export function createRunState(model: ModelV1, prepared: PreparedRun, root: Rng, checkpoint: Checkpoint | undefined, drift?: KernelDriftPlan) {
  const { settings, terms } = prepared;
  const io = { inputDim: prepared.train.inputDim, outputDim: prepared.train.outputDim };
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor | undefined>(t: T): T => { if (t) owned.push(t); return t; };
  let params: ParamTensors | undefined;
  let drawn: ParamTensors = {};
  let initial: ParamTensors = {};
  let optimizer: ReturnType<typeof createOptimizer> | undefined;
  try {
    const train = splitTensors(prepared.train);
    [train.x, train.targets, train.teacherLogits, train.teacherFeatures].forEach(own);
    const test = prepared.test ? splitTensors(prepared.test) : undefined;
    if (test) [test.x, test.targets, test.teacherLogits, test.teacherFeatures].forEach(own);

    // W(0) is drawn from the run's 'init' child in fresh and resumed runs alike (for ||W - W(0)||_F).
    drawn = model.init(root.child('init'), io) as ParamTensors;
    const names = Object.keys(drawn);
    const trainable = [...(model.trainable ?? names)];
    trainable.forEach((name, i) => {
      if (!(name in drawn)) throw new InvalidOptionError(`model.trainable[${i}]`, name, `a parameter name of model "${model.id}" (${names.join(', ')})`);
    });
    if (checkpoint) {
      params = restoreParams(drawn, checkpoint.params);
      for (const name of names) {
        if (settings.trackWeightDistance && trainable.includes(name)) initial[name] = own(drawn[name]);
        else drawn[name].dispose();
      }
    } else {
      params = drawn;
      if (settings.trackWeightDistance) {
        initial = Object.fromEntries(trainable.map((n) => [n, own(tf.clone(drawn[n]))]));
      }
    }
    const slots = checkpoint ? Object.fromEntries(Object.entries(checkpoint.optimizer.slots).map(([k, a]) => [k, fromArrayTensor(a)])) : {};
    optimizer = createOptimizer(settings.optimizer, checkpoint ? { kind: checkpoint.optimizer.kind, t: checkpoint.optimizer.t, slots } : undefined);
    const history: StepRecord[] = checkpoint ? [...checkpoint.history] : [];
    const evals: EvalEndEvent[] = checkpoint ? [...checkpoint.evals] : [];

    const current = () => params as ParamTensors;
    const opt = optimizer;
    const queue = createReadQueue();
    const drifts = drift ? createDriftRuns(drift) : undefined;
    // Steps whose read (and save) follows their update at once: no next forward pass to wait for.
    const readsAtOnce = (k: number) => k === prepared.totalSteps || (settings.checkpointEvery > 0 && k % settings.checkpointEvery === 0);
    const hosts = { train: prepared.train, test: prepared.test };
    // The last train evaluation read, so the final evaluation at the same step reuses it.
    let lastTrain: { step: number; result: SplitEvaluation } | undefined;
    return {
      startStep: checkpoint?.step ?? 0,
      history,
      evals,
      /** The current parameters (still the run's: do not dispose). */
      get params(): ParamTensors { return current(); },
      /** Steps computed and not read yet. */
      get pending() { return queue.size; },
      /** True while a train evaluation waits for the next step's forward pass (no read may happen before it). */
      get awaitingForward() { return queue.awaitingForward() !== undefined; },
      /**
       * Update k = clock.step + 1 on the rows of `rows` (all rows when undefined), queued for a later
       * read. Nothing is read back here: the loss is observed when `read` runs, and a run that diverged
       * at step j stops there, the steps computed after it never reported. When the previous step's
       * train evaluation waits for a forward pass, this full-batch step's logits and term values
       * (computed at W(k - 1) with the same clock) fill it.
       */
      step(clock: TrainingClock, rows: Int32Array | undefined, mode: GradientMode) {
        const waiting = rows ? undefined : queue.awaitingForward();
        const driftFor = rows ? undefined : queue.awaitingDrift();
        const batch = rows ? gatherRows(train, rows) : train;
        let res;
        try {
          res = lossGradientTensors(model, current(), trainable, terms, batch, clock, mode, waiting !== undefined, driftFor !== undefined);
        } finally {
          if (rows) disposeBatch(batch);
        }
        if (driftFor && drifts && res.patterns) {
          driftFor.driftWaiting = false;
          driftFor.drift = drifts.start(res.patterns); // the patterns of W(k - 1), this update's forward pass
        }
        if (waiting) {
          waiting.logits = res.logits;
          waiting.values = tf.clone(res.values);
        }
        params = opt.update(current(), res.grads);
        const distance = settings.trackWeightDistance ? squaredDistances(current(), initial, trainable) : undefined;
        const k = clock.step + 1;
        const entry: PendingStep = { step: k, values: res.values, ...(distance ? { distance } : {}), evals: [] };
        queue.push(entry);
        if (drifts && drift?.has(k)) {
          if (readsAtOnce(k)) entry.drift = drifts.startStandalone(current(), train.x);
          else entry.driftWaiting = true;
        }
      },
      /**
       * Queue the evaluations at step k = clock.step: the training split (with u when `withOutputs`)
       * and, at eval steps, the test split. With `trainFromNextStep` the train evaluation is taken
       * from the next update's forward pass (full batch only), saving one forward pass.
       */
      evaluate(clock: TrainingClock, withOutputs: boolean, trainFromNextStep: boolean) {
        const k = clock.step;
        let entry = queue.at(k);
        if (!entry) { entry = { step: k, evals: [] } as PendingStep; queue.push(entry); }
        const names = terms.map((t) => t.name);
        entry.evals.push(trainFromNextStep ? { split: 'train', withOutputs, evaluated: names } : { split: 'train', withOutputs, ...evalTensors(model, current(), train, terms, clock) });
        if (test && (settings.evalEvery > 0 && k % settings.evalEvery === 0)) entry.evals.push({ split: 'test', withOutputs: false, ...evalTensors(model, current(), test, terms, clock) });
      },
      /** Compute a train evaluation still waiting for a next step that will not come (the run ended or was aborted). */
      completeEvaluations(clock: TrainingClock) {
        const driftFor = queue.awaitingDrift();
        if (driftFor && drifts) {
          driftFor.driftWaiting = false; // read without its drift if the forward pass below fails
          driftFor.drift = drifts.startStandalone(current(), train.x);
        }
        const waiting = queue.awaitingForward();
        if (!waiting) return;
        let t;
        try {
          t = evalTensors(model, current(), train, terms, clock);
        } catch (err) {
          queue.drop(waiting); // the steps before it can still be read
          throw err;
        }
        waiting.logits = t.logits;
        waiting.values = t.values;
      },
      /** Read every queued step at once and hand its numbers to `handlers`, in step order. */
      async read(runId: string, handlers: ReadHandlers) {
        // A newest step whose drift waits for the next forward pass is read next time, with it.
        for (const r of await queue.read(queue.awaitingDrift() ? 1 : 0)) {
          if (r.values) {
            const { loss, terms: termValues } = summarizeTerms(terms, r.values);
            const kernelDrift = r.drift ? await r.drift : undefined;
            await handlers.onStep({
              step: r.step, loss, terms: termValues, ...(r.distance ? { weightDistance: rootOfSum(r.distance) } : {}), ...(kernelDrift === undefined ? {} : { kernelDrift }),
            });
          }
          for (const e of r.evals) {
            const host = e.split === 'train' ? hosts.train : hosts.test as NonNullable<typeof hosts.test>;
            const result = summarizeSplit(host.n, host, terms, Float32Array.from(e.logits), e.values, e.evaluated);
            if (e.split === 'train') lastTrain = { step: r.step, result };
            const event: EvalEndEvent = { type: 'eval-end', runId, step: r.step, split: e.split, metrics: result.metrics };
            if (e.split === 'train' && e.withOutputs) event.outputs = Array.from(result.outputs);
            evals.push(event);
            await handlers.onEval(event);
          }
        }
      },
      /** Metrics of the training split at the current parameters (step clock.step): the last read train evaluation when it is of this step. */
      async finalEvaluation(clock: TrainingClock) {
        const r = lastTrain?.step === clock.step ? lastTrain.result : await evaluateSplitAsync(model, current(), train, terms, clock);
        return { loss: r.metrics.loss, metrics: { ...r.metrics } };
      },
      async checkpoint(k: number, monitor: DivergenceMonitorState): Promise<Checkpoint> {
        const snapshot = async (group: ParamTensors): Promise<Record<string, ArrayTensor>> => {
          const out: Record<string, ArrayTensor> = {};
          for (const [name, t] of Object.entries(group)) out[name] = await toArrayTensorAsync(name, t);
          return out;
        };
        const p = await snapshot(current());
        checkFiniteParams(k, p, settings.optimizer.lr);
        const st = opt.state();
        return {
          format: CHECKPOINT_FORMAT, runId: prepared.runId, configHash: prepared.configHash, config: prepared.config,
          step: k, backend: tf.getBackend(), rngKey: [root.key[0], root.key[1]], params: p,
          optimizer: { kind: st.kind, t: st.t, slots: await snapshot(st.slots) },
          monitor, history: [...history], evals: [...evals],
        };
      },
      /** Hand the parameters to the caller: `dispose` no longer frees them. */
      takeParams(): ParamTensors {
        const p = current();
        params = undefined;
        return p;
      },
      /** Free the run's tensors; drifts still running free their patterns when they settle (awaited). */
      dispose(): void | Promise<void> {
        queue.dispose();
        tf.dispose(owned);
        opt.dispose();
        if (params) tf.dispose(Object.values(params));
        params = undefined;
        return drifts?.settle();
      },
    };
  } catch (err) {
    // Disposing twice is a no-op in tfjs, so free everything that may exist at this point.
    tf.dispose(owned);
    tf.dispose(Object.values(drawn));
    optimizer?.dispose();
    if (params) tf.dispose(Object.values(params));
    throw err;
  }
}

/** Refuse to checkpoint non-finite parameters: the run diverged by step k. */
export function checkFiniteParams(k: number, params: Record<string, ArrayTensor>, lr: number): void {
  for (const [name, a] of Object.entries(params)) {
    const i = firstNonFinite(a);
    if (i >= 0) {
      throw new DivergenceError(k, Number.NaN, 'non-finite', lr, undefined,
        `Training diverged by step ${k}: parameter "${name}" holds ${a.data[i]} at index ${i}; no checkpoint was written.`,
        'Lower optimizer.lr (see the stability bound eta < 2 / ((1 + lambda) mu_max)).');
    }
  }
}

/** Parameters from a checkpoint, checked against the model's own names and shapes. */
export function restoreParams(drawn: ParamTensors, saved: Record<string, ArrayTensor>): ParamTensors {
  const names = Object.keys(drawn).sort();
  const savedNames = Object.keys(saved).sort();
  if (names.join() !== savedNames.join()) {
    throw new ShapeMismatchError('checkpoint parameters vs model parameters (names)', names.join(', '), savedNames.join(', '));
  }
  for (const n of names) {
    if (drawn[n].shape.join() !== saved[n].shape.join()) throw new ShapeMismatchError(`checkpoint parameter "${n}"`, drawn[n].shape, saved[n].shape);
  }
  return Object.fromEntries(names.map((n) => [n, fromArrayTensor(saved[n])]));
}
