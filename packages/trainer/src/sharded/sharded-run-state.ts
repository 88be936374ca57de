import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidOptionError, PiktError,
  type EvalEndEvent, type ModelV1, type ParamTensors, type Rng, type TrainingClock,
} from '@pikt/core';
import { CHECKPOINT_FORMAT, type ArrayTensor, type Checkpoint, type StepRecord } from '../checkpoint.js';
import type { DivergenceMonitorState } from '../divergence.js';
import { evaluateSplitAsync, type SplitEvaluation } from '../evaluate.js';
import { lossAndGradientsAsync, type BatchTensors, type GradientMode } from '../loss-gradients.js';
import type { PreparedRun } from '../run-setup.js';
import { checkFiniteParams, restoreParams, type ReadHandlers, type StepNumbers } from '../run-state.js';
import { disposeBatch, gatherRows, splitTensors } from '../run-tensors.js';
import { SHARD_BACKENDS, type ShardBackend } from './shard-protocol.js';
import type { ShardTransport } from './node-shard-transport.js';
import { startShardedStudent } from './sharded-student.js';

/** The wide student's id and the options sharding reads (the trainer does not import @pikt/models). */
const WIDE_STUDENT = 'wide-student';

/**
 * u as the parameter of the identity model u -> u: with it the trainer's own loss code gives
 * dL/du (its "vjp" is the output gradient itself) and evaluates a split from outputs the shards
 * computed, so terms, metrics and their failure handling are the unsharded run's.
 */
const OUTPUTS: ModelV1<{ u: tf.Tensor2D }> = {
  specificationVersion: 'v1', id: 'sharded-outputs',
  init: () => { throw new Error('not drawn'); },
  apply: (p) => ({ logits: p.u }),
  vjp: (_p, _x, dLogits) => ({ u: dLogits }),
};

/**
 * The run state of `createRunState` for settings.workers > 1: the same operations (step,
 * evaluation, checkpoints, final parameters) with the wide student's W held by shard threads
 * (sharded-student.ts). Each step: shards return u_s, the main thread sums u, computes the loss
 * terms and G = dL/du, and the shards update their rows; steps and evaluations are queued in order
 * and their numbers reported by `read`, as the unsharded state does. Same init (W(0) from the run's 'init' RNG
 * child, split by rows) and checkpoints in the unsharded format, so a run resumes with any
 * number of workers.
 */
export async function createShardedRunState(model: ModelV1, prepared: PreparedRun, root: Rng, checkpoint: Checkpoint | undefined, mode: GradientMode,
  transport?: ShardTransport) {
  const { settings, terms } = prepared;
  const workers = settings.workers ?? 1;
  const student = checkShardable(model, mode, workers);
  const io = { inputDim: prepared.train.inputDim, outputDim: prepared.train.outputDim };
  const { inputDim: d, outputDim: k } = io;
  const lr = settings.optimizer.lr;
  // W(0) is drawn exactly as the unsharded run draws it, then leaves the main thread as arrays.
  const drawn = model.init(root.child('init'), io) as ParamTensors;
  let W0: Float32Array;
  let a0: Float32Array;
  let start: { W: Float32Array; a: Float32Array };
  try {
    W0 = (await drawn.W.data()).slice() as Float32Array;
    a0 = (await drawn.a.data()).slice() as Float32Array;
    if (checkpoint) {
      const restored = restoreParams(drawn, checkpoint.params);
      start = { W: (await restored.W.data()) as Float32Array, a: (await restored.a.data()) as Float32Array };
      tf.dispose(Object.values(restored));
    } else {
      start = { W: W0, a: a0 };
    }
  } finally {
    tf.dispose(Object.values(drawn));
  }
  const engine = await startShardedStudent({
    workers, width: student.width, inputDim: d, outputDim: k, W: start.W, a: start.a,
    ...(settings.trackWeightDistance ? { initial: { W: W0, a: a0 } } : {}),
    trainLayers: student.trainLayers, blockSize: student.blockSize, backend: student.backend,
    splits: { train: prepared.train.x, ...(prepared.test ? { test: prepared.test.x } : {}) },
    ...(transport ? { transport } : {}),
  });
  const owned: tf.Tensor[] = [];
  let train: BatchTensors;
  let test: BatchTensors | undefined;
  try {
    train = splitTensors(prepared.train);
    [train.x, train.targets, train.teacherLogits, train.teacherFeatures].forEach((t) => t && owned.push(t));
    test = prepared.test ? splitTensors(prepared.test) : undefined;
    if (test) [test.x, test.targets, test.teacherLogits, test.teacherFeatures].forEach((t) => t && owned.push(t));
  } catch (err) {
    tf.dispose(owned);
    await engine.close();
    throw err;
  }
  let t = checkpoint?.optimizer.t ?? 0;
  const history: StepRecord[] = checkpoint ? [...checkpoint.history] : [];
  const evals: EvalEndEvent[] = checkpoint ? [...checkpoint.evals] : [];
  /** Evaluate a whole split from the shards' outputs u (or from `u` given: the next step's forward pass). */
  const evaluate = async (split: 'train' | 'test', tensors: BatchTensors, clock: TrainingClock, given?: Float32Array) => {
    const u = tf.tensor2d(given ?? await engine.forward(split), [tensors.x.shape[0], k]);
    try {
      return await evaluateSplitAsync(OUTPUTS, { u }, tensors, terms, clock);
    } finally {
      u.dispose();
    }
  };
  const gather = async (): Promise<Record<string, ArrayTensor>> => {
    const p = await engine.params();
    return { W: { shape: [student.width, d], dtype: 'float32', data: p.W }, a: { shape: [student.width, k], dtype: 'float32', data: p.a } };
  };
  const tensors = async (): Promise<ParamTensors> => {
    const p = await gather();
    return { W: tf.tensor2d(p.W.data as Float32Array, [student.width, d]), a: tf.tensor2d(p.a.data as Float32Array, [student.width, k]) };
  };
  // The loop calls step and evaluate without waiting (it reads every `readEvery` steps): here they
  // queue work on one chain, run in order against the shards, and `read` waits for the chain. A
  // failed task fails the chain; the tasks after it do not run and `read` throws its error.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => {
    chain = chain.then(task);
    chain.catch(() => undefined); // rejections surface in read()/dispose(), never as unhandled
  };
  const entries: Entry[] = [];
  const lastEntry = () => entries[entries.length - 1];
  const unclaimed = () => lastEntry()?.evals.find((e) => e.fromNext && !e.claimed);
  let lastTrain: { step: number; result: SplitEvaluation } | undefined;

  return {
    startStep: checkpoint?.step ?? 0,
    history,
    evals,
    /** The shards used (their count and backend), and where step time went (sharded-student.ts). */
    engine,
    get params(): ParamTensors {
      throw new PiktError('PIKT_WORKERS_UNSUPPORTED', `workers: ${workers}: onUpdate needs the parameters after every update, and they live in the shard threads.`,
        'Drop onUpdate (read the final params, or checkpoints), or use workers: 1.');
    },
    get pending() { return entries.length; },
    get awaitingForward() { return unclaimed() !== undefined; },
    /** W and a after the work queued so far, gathered from the shards as tensors the caller owns (train.ts `snapshots`). */
    snapshot(): Promise<ParamTensors> {
      const p = chain.then(tensors);
      chain = p.then(() => undefined);
      chain.catch(() => undefined);
      return p;
    },
    /** Queue update k = clock.step + 1; a train evaluation at step clock.step waiting for it takes u from its forward pass. */
    step(clock: TrainingClock, rows: Int32Array | undefined, _mode: GradientMode) {
      const waiting = rows ? undefined : unclaimed();
      if (waiting) waiting.claimed = true;
      const entry: Entry = { step: clock.step + 1, evals: [] };
      entries.push(entry);
      enqueue(async () => {
        const uData = await engine.forward('train', { keep: true, ...(rows ? { rows } : {}) });
        if (waiting) waiting.result = await evaluate('train', train, waiting.clock, uData);
        const batch = rows ? gatherRows(train, rows) : train;
        let res;
        try {
          const u = tf.tensor2d(uData, [batch.x.shape[0], k]);
          try {
            res = await lossAndGradientsAsync(OUTPUTS, { u }, ['u'], terms, batch, clock, 'vjp');
          } finally {
            u.dispose();
          }
        } finally {
          if (rows) disposeBatch(batch);
        }
        const G = res.grads.u;
        let g: Float32Array;
        try {
          g = (await G.data()) as Float32Array;
        } finally {
          G.dispose();
        }
        const squared = await engine.update(g, lr);
        t += 1;
        entry.numbers = { step: entry.step, loss: res.loss, terms: res.terms, ...(squared === undefined ? {} : { weightDistance: Math.sqrt(squared) }) };
      });
    },
    /** Queue the evaluations at step clock.step (the train one from the next update's forward pass with `trainFromNextStep`). */
    evaluate(clock: TrainingClock, withOutputs: boolean, trainFromNextStep: boolean) {
      const kk = clock.step;
      let entry = lastEntry();
      if (entry?.step !== kk) { entry = { step: kk, evals: [] }; entries.push(entry); }
      const tr: PendingEval = { split: 'train', withOutputs, clock, fromNext: trainFromNextStep, claimed: false };
      entry.evals.push(tr);
      if (!trainFromNextStep) enqueue(async () => { tr.result = await evaluate('train', train, clock); });
      if (test && (settings.evalEvery > 0 && kk % settings.evalEvery === 0)) {
        const te: PendingEval = { split: 'test', withOutputs: false, clock, fromNext: false, claimed: false };
        entry.evals.push(te);
        const testTensors = test;
        enqueue(async () => { te.result = await evaluate('test', testTensors, clock); });
      }
    },
    completeEvaluations(_clock: TrainingClock) {
      const waiting = unclaimed();
      if (!waiting) return;
      waiting.claimed = true;
      enqueue(async () => { waiting.result = await evaluate('train', train, waiting.clock); });
    },
    /** Wait for the queued work and hand every step's numbers and evaluations to `handlers`, in step order. */
    async read(runId: string, handlers: ReadHandlers) {
      await chain;
      for (const e of entries.splice(0)) {
        if (e.numbers) await handlers.onStep(e.numbers);
        for (const ev of e.evals) {
          if (!ev.result) throw new Error('sharded run state: an evaluation is still waiting for its forward pass');
          if (ev.split === 'train') lastTrain = { step: e.step, result: ev.result };
          const event: EvalEndEvent = { type: 'eval-end', runId, step: e.step, split: ev.split, metrics: ev.result.metrics };
          if (ev.split === 'train' && ev.withOutputs) event.outputs = Array.from(ev.result.outputs);
          evals.push(event);
          await handlers.onEval(event);
        }
      }
    },
    async finalEvaluation(clock: TrainingClock) {
      await chain;
      const r = lastTrain?.step === clock.step ? lastTrain.result : await evaluate('train', train, clock);
      return { loss: r.metrics.loss, metrics: { ...r.metrics } };
    },
    async checkpoint(kk: number, monitor: DivergenceMonitorState): Promise<Checkpoint> {
      await chain;
      const p = await gather();
      checkFiniteParams(kk, p, lr);
      return {
        format: CHECKPOINT_FORMAT, runId: prepared.runId, configHash: prepared.configHash, config: prepared.config,
        step: kk, backend: tf.getBackend(), rngKey: [root.key[0], root.key[1]], params: p,
        optimizer: { kind: settings.optimizer.kind, t, slots: {} },
        monitor, history: [...history], evals: [...evals],
      };
    },
    /** The final parameters gathered from the shards, as tensors the caller owns. */
    async takeParams(): Promise<ParamTensors> {
      return tensors();
    },
    /** Let queued work settle (its tensors are the main thread's), then free the tensors and stop every shard thread. */
    async dispose(): Promise<void> {
      await chain.catch(() => undefined);
      tf.dispose(owned);
      await engine.close();
    },
  };
}

/** A train or test evaluation at one step, filled in by a queued task. */
interface PendingEval {
  split: 'train' | 'test';
  withOutputs: boolean;
  clock: TrainingClock;
  /** Taken from the next update's forward pass; `claimed` once that update is queued. */
  fromNext: boolean;
  claimed: boolean;
  result?: SplitEvaluation;
}

/** What step k queued: the update's numbers (absent for evaluation-only entries) and the evaluations at W(k). */
interface Entry {
  step: number;
  numbers?: StepNumbers;
  evals: PendingEval[];
}

/** The shard layout of a model, or an error saying why it cannot be sharded and what to do. */
function checkShardable(model: ModelV1, mode: GradientMode, workers: number) {
  const why = (problem: string, hint: string) => new PiktError('PIKT_WORKERS_UNSUPPORTED', `workers: ${workers}: ${problem}`, hint);
  if (model.id !== WIDE_STUDENT) {
    throw why(`only the wide student ("${WIDE_STUDENT}") can be sharded over worker threads, and the model is "${model.id}".`, 'Use workers: 1 for this model.');
  }
  const o = (model.options ?? {}) as { width?: number; trainLayers?: string; features?: string; blockSize?: number };
  if ((o.features ?? 'none') !== 'none') {
    throw why(`the wide student has features "${o.features}"; shards exchange only the outputs u.`, 'Use features: "none" (the default), or workers: 1.');
  }
  if (mode !== 'vjp') {
    throw why('a loss term reads the student\'s features (needs "studentFeatures"), which the shards do not send back.', 'Use terms on the outputs only, or workers: 1.');
  }
  const width = o.width ?? 0;
  if (width < 2 * workers) throw new InvalidOptionError('workers', workers, `at most ${Math.floor(width / 2)} for a wide student of width ${width} (each shard holds neurons of both halves)`);
  const backend = tf.getBackend();
  if (!(SHARD_BACKENDS as readonly string[]).includes(backend)) {
    throw why(`the active backend is "${backend}"; the shards run on ${SHARD_BACKENDS.join(' or ')}, one per thread.`,
      'Activate the wasm backend (createWasmBackend from @pikt/backend-wasm) or cpu, or use workers: 1.');
  }
  return { width, trainLayers: (o.trainLayers === 'both' ? 'both' : 'first') as 'first' | 'both', blockSize: o.blockSize ?? 0, backend: backend as ShardBackend };
}
