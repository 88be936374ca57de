import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidOptionError, ShapeMismatchError,
  type EvalEndEvent, type ModelV1, type ParamTensors, type Rng, type TrainerEvent, type TrainingClock,
} from '@pikt/core';
import { CHECKPOINT_FORMAT, type ArrayTensor, type Checkpoint, type StepRecord } from './checkpoint.js';
import { DivergenceError, type DivergenceMonitorState } from './divergence.js';
import { evaluateSplitAsync } from './evaluate.js';
import { lossAndGradientsAsync, type GradientMode } from './loss-gradients.js';
import { createOptimizer } from './optimizers.js';
import type { PreparedRun } from './run-setup.js';
import {
  disposeBatch, firstNonFinite, fromArrayTensor, gatherRows, splitTensors, toArrayTensorAsync, weightDistanceAsync,
} from './run-tensors.js';

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

export function createRunState(model: ModelV1, prepared: PreparedRun, root: Rng, checkpoint: Checkpoint | undefined) {
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
    return {
      startStep: checkpoint?.step ?? 0,
      history,
      evals,
      /** One update on the rows of `rows` (all rows when undefined). `observe` may throw to stop before the update. */
      // Reads use `await data()` throughout: GPU backends have no fast synchronous read.
      async step(clock: TrainingClock, rows: Int32Array | undefined, mode: GradientMode, observe: (loss: number, terms: Record<string, number>) => void) {
        const batch = rows ? gatherRows(train, rows) : train;
        let res;
        try {
          res = await lossAndGradientsAsync(model, current(), trainable, terms, batch, clock, mode);
        } finally {
          if (rows) disposeBatch(batch);
        }
        try {
          observe(res.loss, res.terms);
        } catch (err) {
          tf.dispose(Object.values(res.grads));
          throw err;
        }
        params = opt.update(current(), res.grads);
        const distance = settings.trackWeightDistance ? await weightDistanceAsync(current(), initial, trainable) : undefined;
        return { loss: res.loss, terms: res.terms, weightDistance: distance };
      },
      /** eval-end on the training split (with u when `withOutputs`) and, when given, the test split. */
      async evaluateAndEmit(clock: TrainingClock, withOutputs: boolean, runId: string, emit: (e: TrainerEvent) => Promise<void>) {
        const k = clock.step;
        const splits: Array<['train' | 'test', typeof train]> = [['train', train]];
        if (test && (settings.evalEvery > 0 && k % settings.evalEvery === 0)) splits.push(['test', test]);
        for (const [split, tensors] of splits) {
          const r = await evaluateSplitAsync(model, current(), tensors, terms, clock);
          const event: EvalEndEvent = { type: 'eval-end', runId, step: k, split, metrics: r.metrics };
          if (split === 'train' && withOutputs) event.outputs = Array.from(r.outputs);
          evals.push(event);
          await emit(event);
        }
      },
      async finalEvaluation(clock: TrainingClock) {
        const r = await evaluateSplitAsync(model, current(), train, terms, clock);
        return { loss: r.metrics.loss, metrics: r.metrics };
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
      dispose() {
        tf.dispose(owned);
        opt.dispose();
        if (params) tf.dispose(Object.values(params));
        params = undefined;
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
