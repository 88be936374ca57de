import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidOptionError, PiktError, createRng, ensureGradients, requireBackend, rngFromKey,
  type DatasetV1, type EvalEndEvent, type ModelV1, type ParamTensors, type ReporterV1, type TrainerEvent,
} from '@pikt/core';
import { createBatchSchedule } from './batches.js';
import type { CheckpointStore, StepRecord } from './checkpoint.js';
import { stabilityBound, stepsPerEpoch, type TrainingSettings } from './config.js';
import { readDataset } from './data.js';
import { createDivergenceMonitor } from './divergence.js';
import { createEventQueue, type EventQueue } from './event-queue.js';
import { gradientMode, type GradientMode } from './loss-gradients.js';
import { driftRecords, resolveKernelDrift, type KernelDriftOption, type KernelDriftRecord } from './kernel-drift.js';
import { checkResumable, prepareRun, type TermInput } from './run-setup.js';
import { createRunState, type LoopState, type ReadHandlers } from './run-state.js';
import { createShardedRunState } from './sharded/sharded-run-state.js';
import type { ShardTransport } from './sharded/node-shard-transport.js';
import { cloneParams, createParamSnapshots, type SnapshotOptions } from './sharded/param-snapshots.js';

export interface TrainOptions<P extends ParamTensors = ParamTensors> {
  model: ModelV1<P>;
  /** Loss terms, summed: L = sum_t L_t(u). A bare regularizer is named by its id. */
  terms: readonly TermInput[];
  /**
   * The data: any `DatasetV1`. Your own arrays go through `datasetFromArrays` (@pikt/core); the train
   * split (and the test split, when it has rows, evaluated every `evalEvery` steps) is read once.
   */
  data: DatasetV1;
  /** JSON settings (optimizer, steps, seed, ...), validated before any work. */
  settings: TrainingSettings;
  /** Each event is awaited by every reporter, in order; reporters are closed when the run ends. */
  reporters?: readonly ReporterV1[];
  /**
   * Aborting stops at the next read (see `readEvery`: with a signal and no `readEvery`, every step
   * boundary, as before batching), writes a checkpoint and ends with status 'aborted'.
   */
  signal?: AbortSignal;
  /**
   * Read the losses (and the recorded outputs and evaluations) back from the backend every N steps
   * (default 10; 1 when a `signal` is given and `readEvery` is not). Only when the numbers arrive
   * changes, never which: every step's step-end still carries its own loss, emitted in step order in
   * a burst after each read, and the divergence monitor sees every step's loss, up to N - 1 steps
   * late, stopping the run at the first bad step exactly as with N = 1 (the N - 1 updates computed
   * after it are dropped with the run). Checkpoints read first, so they hold every step up to
   * theirs. An abort is honoured at the next read: the steps already computed are reported. GPU
   * backends stall on every read; on wasm a read costs little.
   */
  readEvery?: number;
  /** Where checkpoints go (every `checkpointEvery` steps, at the end, on abort). */
  checkpoints?: CheckpointStore;
  /**
   * true: continue from the store's checkpoint (required to exist); false (default): the store must be
   * empty; 'auto': continue when the store holds a checkpoint, else start fresh, so running the same
   * script twice continues (or, when it completed, just returns) the first run instead of failing.
   * Resuming always checks that the checkpoint came from the same run (config and data hash).
   */
  resume?: boolean | 'auto';
  /**
   * Called synchronously with the starting parameters (step = the start step) and after each update
   * k with W(k), before anything else runs on them. The tensors stay the trainer's and are freed by
   * the next update: `tf.clone` the ones you need later (a clone shares the data, it copies nothing)
   * and read them with `await data()` when their step's events arrive (reads are batched, `readEvery`).
   */
  onUpdate?: (step: number, params: P) => void;
  /** Called after each checkpoint is written. */
  onCheckpoint?: (info: { step: number; location: string }) => void | Promise<void>;
  /**
   * Track the kernel drift ||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F at the steps `at` (default
   * every step) by `tracker` (createKernelDriftTracker of @pikt/ntk, for this run's n training points
   * and W(0)) from the activation patterns of update k + 1's own forward pass: no extra GEMM, the
   * patterns freed once read (the last step and checkpoint steps take one forward pass of their own).
   * Needs a model with `activationPatterns` (the wide student, trainLayers 'first'), full batches,
   * vjp gradients and workers 1. Reported as `kernelDrift` on each tracked step's step-end.
   */
  kernelDrift?: KernelDriftOption;
  /**
   * How the shard threads of `settings.workers > 1` are started: default Node's worker_threads;
   * a browser passes `createWebWorkerShardTransport` (Web Workers running `serveShard`).
   */
  shardTransport?: ShardTransport;
  /**
   * W(k) at the steps `snapshots.at`, handed to `snapshots.onParams` as tensors the caller owns, in
   * step order, before any event of step k. Unlike `onUpdate`, works with `settings.workers > 1`
   * (the shards' rows are gathered at those steps, after their updates).
   */
  snapshots?: SnapshotOptions<P>;
}

export interface TrainResult<P extends ParamTensors = ParamTensors> {
  runId: string;
  status: 'completed' | 'aborted';
  /** Updates completed, counting those before a resume. */
  steps: number;
  /** Step the run (re)started from: 0, or the checkpoint's step. */
  startStep: number;
  /** Total loss on the whole training split at the final parameters. */
  finalLoss: number;
  /** Metrics of the whole training split at the final parameters (terms, labelError, ...). */
  finalMetrics: Record<string, number>;
  /** Final parameters; the caller owns them (dispose with model.dispose or tf.dispose). */
  params: P;
  /** Per-step records, from step 1 (including steps before a resume). */
  history: StepRecord[];
  /** Every eval-end event of the run, with u where recorded. */
  evals: EvalEndEvent[];
  gradientMode: GradientMode;
  stabilityBound?: number;
  /** The tracked kernel drifts (with `kernelDrift`), in step order, as in `history`. */
  kernelDrift?: KernelDriftRecord[];
}

export interface TrainRun<P extends ParamTensors = ParamTensors> {
  /**
   * The event stream as an async iterator. Events are buffered from the moment this property is
   * first read, so read it right after `startRun` to see them all; it ends after run-end or run-error.
   */
  readonly events: AsyncIterableIterator<TrainerEvent>;
  /** Resolves with the result, or rejects with the run's error (also sent as a run-error event). */
  readonly result: Promise<TrainResult<P>>;
}

/** Train and return the result. See `startRun` for the event stream. */
export function train<P extends ParamTensors>(options: TrainOptions<P>): Promise<TrainResult<P>> {
  return startRun(options).result;
}

/**
 * Start a training run: full-batch gradient descent (the theory's setting), mini-batch SGD or Adam
 * on L(W) = sum_t L_t(f(X; W)) over the trainable parameters, with the typed event stream,
 * checkpoints, resume, abort and divergence detection. Settings, model, terms and data are all
 * validated before any tensor is made.
 */
export function startRun<P extends ParamTensors>(options: TrainOptions<P>): TrainRun<P> {
  return startRunWith(() => options, options.reporters ?? [], options.settings?.runId);
}

/**
 * `startRun` with the options made lazily inside the run, so that errors building them (an
 * experiment's registry lookups) reject `result` and reach reporters as run-error like any other.
 */
export function startRunWith<P extends ParamTensors>(make: () => TrainOptions<P>, reporters: readonly ReporterV1[], runId: string | undefined): TrainRun<P> {
  let queue: EventQueue | undefined;
  let ended = false;
  const emit = async (event: TrainerEvent) => {
    for (const r of reporters) await r.onEvent(event);
    queue?.push(event);
  };
  const result = runLoop(make, emit, runId).finally(async () => {
    ended = true;
    queue?.close();
    for (const r of reporters) await r.close?.();
  });
  result.catch(() => undefined); // the caller may only read events; the rejection stays on `result`
  return {
    get events() {
      if (!queue) {
        queue = createEventQueue();
        if (ended) queue.close();
      }
      return queue.iterator;
    },
    result,
  };
}

const YIELD_EVERY_MS = 20;

async function yieldToEventLoop(): Promise<void> {
  // A macrotask, so AbortSignal timers and I/O callbacks get to run between steps.
  // Browsers clamp a nested setTimeout(0) to 4 ms (HTML's timer nesting rule): with a yield every
  // 20 ms that cost a fifth of a demo run's time, so there a MessageChannel message is the macrotask.
  await new Promise<void>((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else if (typeof MessageChannel === 'function') postToSelf(resolve);
    else setTimeout(resolve, 0);
  });
}

function postToSelf(resolve: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
  channel.port2.postMessage(null);
}

async function runLoop<P extends ParamTensors>(make: () => TrainOptions<P>, emit: (e: TrainerEvent) => Promise<void>, knownRunId: string | undefined): Promise<TrainResult<P>> {
  await Promise.resolve(); // let the caller subscribe to `events` before the first one
  const started = performance.now();
  let runId = knownRunId ?? '(unnamed run)';
  let step = 0;
  let state: LoopState | undefined;
  let snapshots: ReturnType<typeof createParamSnapshots> | undefined;
  try {
    const options = make();
    const readEvery = readEveryOf(options);
    const prepared = prepareRun(options.model as ModelV1, options.terms, await readDataset(options.data), options.settings);
    runId = prepared.runId;
    const { settings, totalSteps } = prepared;
    const store = options.checkpoints;
    if (settings.checkpointEvery > 0 && !store) {
      throw new PiktError('PIKT_NO_CHECKPOINT_STORE', `checkpointEvery is ${settings.checkpointEvery} but no checkpoint store was given.`,
        'Pass options.checkpoints (createDirectoryCheckpointStore(dir) in Node, createMemoryCheckpointStore() elsewhere), or set checkpointEvery to 0.');
    }
    const checkpoint = await store?.load();
    if (options.resume === true && !checkpoint) {
      throw new PiktError('PIKT_NO_CHECKPOINT', `resume was requested but ${store ? `${store.location} holds no checkpoint` : 'no checkpoint store was given'}.`,
        'Start the run without resume, or point options.checkpoints at the run\'s checkpoint location.');
    }
    if (!options.resume && checkpoint) {
      throw new PiktError('PIKT_CHECKPOINT_EXISTS', `${store?.location} already holds a checkpoint (run "${checkpoint.runId}", step ${checkpoint.step}).`,
        'Pass resume: true (or \'auto\') to continue it, or use an empty checkpoint location for a fresh run.');
    }
    if (checkpoint) checkResumable(prepared, checkpoint, store?.location ?? '');
    requireBackend('train()');
    await ensureGradients();

    const model = options.model as ModelV1;
    const root = checkpoint ? rngFromKey(checkpoint.rngKey) : createRng(settings.seed);
    const mode = gradientMode(model, prepared.terms);
    const drift = resolveKernelDrift(options.kernelDrift, model, {
      n: prepared.train.n, totalSteps, fullBatch: stepsPerEpoch(settings.batchSize, prepared.train.n) === 1, workers: settings.workers ?? 1, mode,
    });
    const sharded = (settings.workers ?? 1) > 1 ? await createShardedRunState(model, prepared, root, checkpoint, mode, options.shardTransport) : undefined;
    state = sharded ?? createRunState(model, prepared, root, checkpoint, drift);
    const loop = state;
    snapshots = createParamSnapshots(options.snapshots as SnapshotOptions | undefined, () => (sharded ? sharded.snapshot() : Promise.resolve(cloneParams(loop.params))));
    const snaps = snapshots;
    step = state.startStep;
    const bound = stabilityBound(settings.stability);
    const monitor = createDivergenceMonitor(settings.divergence, { kind: settings.optimizer.kind, lr: settings.optimizer.lr, stability: settings.stability }, checkpoint?.monitor);
    const schedule = createBatchSchedule(root, prepared.train.n, settings.batchSize);
    const record = new Set(settings.recordOutputsAt);
    const save = async (k: number) => {
      if (!store) return;
      await store.save(await state!.checkpoint(k, monitor.state()));
      await options.onCheckpoint?.({ step: k, location: store.location });
    };
    // Each step's numbers arrive after a read, in step order: the monitor sees the loss first and may
    // throw (the run stops at that step, as it did when every step was read at once), then step-end.
    const handlers: ReadHandlers = {
      async onStep(s) {
        monitor.observe(s.step, s.loss, s.terms);
        step = s.step;
        const rec: StepRecord = { step: s.step, loss: s.loss, terms: s.terms, ...(s.weightDistance === undefined ? {} : { weightDistance: s.weightDistance }) };
        if (s.kernelDrift !== undefined) rec.kernelDrift = s.kernelDrift;
        state!.history.push(rec);
        await snaps.deliver(s.step);
        await emit({ type: 'step-end', runId, ...rec, elapsedMs: performance.now() - started });
      },
      async onEval(e) { await snaps.deliver(e.step); await emit(e); },
    };

    await emit({
      type: 'run-start', runId, totalSteps, backend: tf.getBackend(), config: prepared.config, startStep: step,
      ...(bound === undefined ? {} : { stabilityBound: bound }),
      notes: runNotes(settings.optimizer.kind, schedule.fullBatch, mode),
    });
    const clockAt = (k: number) => ({ step: k, epoch: Math.floor(k / schedule.stepsPerEpoch), totalSteps });
    // A train evaluation at step k is taken from update k + 1's forward pass when that is a full batch.
    const fromNextStep = (k: number) => schedule.fullBatch && k < totalSteps;
    options.onUpdate?.(step, state.params as P);
    snaps.take(step);
    if (step === 0 && record.has(0)) state.evaluate(clockAt(0), true, fromNextStep(0));

    let status: 'completed' | 'aborted' = 'completed';
    let lastYield = performance.now();
    let computed = step;
    try {
      for (let k = step + 1; k <= totalSteps; k++) {
        if (options.signal?.aborted) { status = 'aborted'; break; }
        const slot = schedule.slot(k - 1);
        state.step({ step: k - 1, epoch: slot.epoch, totalSteps }, slot.rows, mode);
        computed = k;
        options.onUpdate?.(k, state.params as P);
        snaps.take(k);
        const checkpointNow = settings.checkpointEvery > 0 && k % settings.checkpointEvery === 0 && k < totalSteps;
        const evalNow = settings.evalEvery > 0 && k % settings.evalEvery === 0;
        if (record.has(k) || evalNow) state.evaluate(clockAt(k), record.has(k), !checkpointNow && fromNextStep(k));
        if (checkpointNow || (state.pending >= readEvery && !state.awaitingForward)) await state.read(runId, handlers);
        if (checkpointNow) await save(k);
        if (performance.now() - lastYield > YIELD_EVERY_MS) { await yieldToEventLoop(); lastYield = performance.now(); }
      }
      state.completeEvaluations(clockAt(computed));
      await state.read(runId, handlers);
      await snaps.deliver(computed);
    } catch (err) {
      // A step failed (a term, onUpdate, a reporter): report the steps computed before it first, as
      // when every step was read at once; an error those reads raise (the monitor's DivergenceError
      // at an earlier step, a reporter's) happened earlier and is the run's error.
      // An evaluation at the last computed step that fails came before the failed step, the reads before both.
      let first = err;
      try { state.completeEvaluations(clockAt(computed)); } catch (evalError) { first = evalError; }
      try { await state.read(runId, handlers); } catch (earlier) { first = earlier; }
      throw first;
    }

    const final = await state.finalEvaluation(clockAt(step));
    if (!Number.isFinite(final.loss)) monitor.observe(step, final.loss, final.metrics);
    await save(step);
    await emit({ type: 'run-end', runId, steps: step, finalLoss: final.loss, elapsedMs: performance.now() - started, status });
    const params = (await state.takeParams()) as P;
    return {
      runId, status, steps: step, startStep: state.startStep, finalLoss: final.loss, finalMetrics: final.metrics, params,
      history: state.history, evals: state.evals, gradientMode: mode, ...(bound === undefined ? {} : { stabilityBound: bound }),
      ...(drift ? { kernelDrift: driftRecords(state.history) } : {}),
    };
  } catch (err) {
    const code = err instanceof PiktError ? err.code : 'PIKT_INTERNAL';
    const message = err instanceof Error ? err.message : String(err);
    try { await emit({ type: 'run-error', runId, step, code, message }); } catch { /* the original error matters more */ }
    throw err;
  } finally {
    await snapshots?.discard();
    await state?.dispose();
  }
}

const READ_EVERY_DEFAULT = 10;

function readEveryOf(options: { readEvery?: number; signal?: AbortSignal }): number {
  const r = options.readEvery;
  if (r === undefined) return options.signal ? 1 : READ_EVERY_DEFAULT;
  if (!Number.isInteger(r) || r < 1) throw new InvalidOptionError('readEvery', r, 'an integer >= 1 (steps between reads of the losses)');
  return r;
}

function runNotes(kind: string, fullBatch: boolean, mode: GradientMode): string[] {
  const notes: string[] = [];
  if (kind !== 'gd' || !fullBatch) {
    notes.push(`${kind === 'adam' ? 'Adam' : 'mini-batch SGD'} is outside the kernel-regime theory (SCIENCE.md section 2 assumes full-batch GD): compare with its predictions as a guide only.`);
  }
  notes.push(mode === 'vjp' ? 'gradients: model vjp (hand-written backprop) after autodiff of the output-space loss' : 'gradients: tfjs autodiff through model.apply');
  return notes;
}
