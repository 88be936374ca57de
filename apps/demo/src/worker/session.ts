import * as tf from '@tensorflow/tfjs-core';
import { datasetFromArrays, type ReporterV1, type TrainerEvent } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import type { WideStudentParams } from '@pikt/models';
import { kernelDrift, structuredNtk } from '@pikt/ntk';
import { featureMatching, hintonKl, labelFit, quadraticPi } from '@pikt/regularizers';
import { startRun } from '@pikt/trainer';
import type { NamedTerm } from '@pikt/trainer';
import type { Task } from '../data.js';
import type { FromWorker, RunSummary, Setup, StepRow } from '../protocol.js';
import { alphaOf, type DemoState } from '../state.js';
import type { Gate } from './gate.js';
import { planeGrid, subsampleOrder, submatrix } from './grids.js';
import { shardsFor, type ShardPool } from './shards.js';
import { trainTeacher } from './teacher.js';
import { buildTheory, piLambda, sq, thinSteps, tradeoff } from './theory.js';

export interface SessionContext {
  runId: number;
  post: (msg: FromWorker) => void;
  gate: Gate;
  signal: AbortSignal;
  backend: { id: string; device: string };
  /** The shard threads of a sharded run (shards.ts: nested Web Workers in the browser). */
  shards: ShardPool;
}

const FLUSH_MS = 50;
const HEAT_SIDE = 48;
const GRID_SIDE = 48;
const RECORD_POINTS = 160;
/** Kernel drift is measured on this many samples (spread over the set): O(s^2 m) instead of O(n^2 m). */
const DRIFT_SAMPLES = 128;

/** Feature matching trains on the student's hidden features (the trainer then uses autodiff, unsharded). */
const usesFeatures = (state: DemoState) => state.regularizer === 'feature' && piLambda(state) > 0;

function termsFor(state: DemoState, featureDim: number): NamedTerm[] {
  const terms: NamedTerm[] = [{ name: 'label', regularizer: labelFit({ loss: 'squared' }) }];
  const lambda = piLambda(state);
  if (lambda === 0) return terms;
  if (state.regularizer === 'quadratic') terms.push({ name: 'pi', regularizer: quadraticPi({ lambda }) });
  else if (state.regularizer === 'kl') terms.push({ name: 'pi', regularizer: hintonKl({ weight: lambda, temperature: state.temperature }) });
  else if (featureDim > 0) terms.push({ name: 'pi', regularizer: featureMatching({ weight: lambda, projection: 'none' }) });
  return terms;
}

/**
 * One run in the worker: train the teacher, compute the kernel-regime prediction, then train the wide
 * student with @pikt/trainer and turn its event stream into measured rows beside the predicted ones.
 */
export async function runSession(state: DemoState, task: Task, ctx: SessionContext): Promise<void> {
  const { post, runId, gate, signal } = ctx;
  const { n, d } = task;
  if (shardsFor(state, task, usesFeatures(state)) > 1) ctx.shards.warm(); // they start while the teacher trains
  post({ type: 'status', text: `training the teacher on ${Math.round(task.nPool * state.teacherFraction)} samples (${state.teacherSteps} Adam steps)` });
  const teacher = await trainTeacher(task, state, signal);
  if (!teacher) return;
  try {
    post({ type: 'status', text: 'computing Hinf, its spectrum and the predicted trajectory' });
    const z = teacher.z;
    const theory = buildTheory(task, z, state);
    const K = state.steps;
    const predSteps = thinSteps(K, 300);
    const lambda = piLambda(state);
    const curves = { label: [] as number[], pi: [] as number[], test: [] as number[] };
    // u_pred(k) at the steps whose measured u(k) will be recorded is kept for the live gap (an O(n^2)
    // expansion each; at most RECORD_POINTS arrays of n numbers), so the overlay does not redo it.
    const recording = new Set(thinSteps(K, RECORD_POINTS));
    const predicted = new Map<number, Float64Array>();
    for (const k of predSteps) {
      const u = theory.trajectory(k);
      if (u && recording.has(k)) predicted.set(k, u);
      const f = theory.testPrediction(k);
      curves.label.push(u ? sq(u, task.y) / (2 * n) : NaN);
      curves.pi.push(u ? sq(u, z) / (2 * n) : NaN);
      curves.test.push(f ? sq(f, task.yTest) / (2 * task.nTest) : NaN);
    }
    const al = theory.predictor.alignment();
    const top = Math.min(60, n);
    const it = theory.predictor.iterationsToEps(1e-2);
    const order = subsampleOrder(task.y, HEAT_SIDE);
    const notes = [...task.notes];
    if (state.batch > 0) notes.push(`Mini-batch SGD (batch ${state.batch}) is outside the theory: the dashed curves are full-batch GD's prediction.`);
    if (theory.kind === 'generic') notes.push(`Temperature KL (T = ${state.temperature}): predicted by integrating u(k+1) = u(k) - eta H grad_u L(u(k)) on Hinf (SCIENCE.md section 4).`);
    if (theory.kind === 'none') notes.push('Feature matching acts on hidden features: no kernel-regime prediction exists, the run is shown measured only.');
    if (!theory.stable) notes.push(`The step eta = ${theory.eta.toPrecision(3)} is above the stability bound ${theory.bound.toPrecision(3)}: GD diverges along the top eigenvector (P3).`);
    const setup: Setup = {
      task: task.name, n, d, nTest: task.nTest, K, backend: ctx.backend.id, backendDevice: ctx.backend.device, workers: shardsFor(state, task, usesFeatures(state)),
      lambda, alpha: alphaOf(lambda), curvature: theory.c, muMax: theory.muMax, eta: theory.eta, bound: theory.bound, stable: theory.stable,
      regularizer: state.regularizer, predictor: theory.kind, optimizer: state.batch > 0 ? 'sgd' : 'gd',
      teacher: { trainSamples: teacher.trainSamples, testAccuracy: teacher.testAccuracy, trainAccuracy: teacher.trainAccuracy, labelNoise: state.labelNoise },
      predSteps, predLabel: curves.label, predPi: curves.pi, predTest: curves.test,
      eigenvalues: Array.from(al.eigenvalues.subarray(0, top)), energyY: Array.from(al.y.subarray(0, top)),
      energyZ: Array.from(al.z.subarray(0, top)), energyYbar: Array.from(al.ybar.subarray(0, top)),
      energyTarget: Array.from(al.teacherTarget.subarray(0, top)), effectiveStep: theory.eta * (1 + lambda),
      iterations: { eps: 1e-2, withTeacher: it.withTeacher, withoutTeacher: it.withoutTeacher },
      tradeoff: tradeoff(theory, task.y, z, state),
      labelErrorPredicted: theory.predictor.labelError().predicted,
      heat: { side: order.length, hinf: submatrix(theory.H, n, order), order },
      notes,
    };
    const grid = task.plane ? planeGrid(task.plane.train, GRID_SIDE) : undefined;
    if (task.plane && grid) {
      setup.plane = {
        side: GRID_SIDE, box: grid.box, teacher: Array.from(await teacher.evaluate(task.plane.liftTeacher(grid.points))),
        points: Array.from(task.plane.train), labels: Array.from(task.y),
      };
    }
    post({ type: 'setup', runId, setup });
    await trainStudent(state, task, teacher, theory, ctx, grid?.points, predicted);
  } finally {
    teacher.dispose();
  }
}

async function trainStudent(state: DemoState, task: Task, teacher: Awaited<ReturnType<typeof trainTeacher>> & object,
  theory: ReturnType<typeof buildTheory>, ctx: SessionContext, gridPoints: Float64Array | undefined, predicted: Map<number, Float64Array>): Promise<void> {
  const { post, runId, gate, signal } = ctx;
  const { n, d, y } = task;
  const z = teacher.z;
  const K = state.steps;
  const fm = usesFeatures(state);
  const base = createWideStudent({ width: state.width, kappa: 1, symmetric: true, trainLayers: 'first', ...(fm ? { features: 'projected' as const, featureDim: teacher.featureDim } : {}) });
  // W(k) for the kernel drift and the decision regions arrives (the trainer's snapshots: a clone in
  // this worker, the shards' rows gathered in a sharded run) just before step k's recorded outputs.
  const snapshots = new Map<number, WideStudentParams>();
  const driftEvery = Math.max(1, Math.round(K / 25));
  let h0: Float64Array | undefined;
  let lastDrift: number | null = null;
  let maxGap = 0;
  let rows: StepRow[] = []; let tests: { k: number; loss: number; accuracy: number }[] = []; let drift: { k: number; drift: number }[] = [];
  let heat: number[] | undefined; let regions: number[] | undefined; let regionsStep: number | undefined;
  let lastFlush = 0;
  let finalLabel = NaN; let finalPi = NaN;
  let lastTest: { k: number; loss: number; accuracy: number } | undefined;
  let pausedMs = 0;
  let overlayMs = 0;
  let kernelMs = 0;
  let stepped = 0;
  const order = subsampleOrder(task.y, HEAT_SIDE);
  // Drift rows: an even spread of DRIFT_SAMPLES samples plus the heat map's; heatInDrift indexes the latter.
  const driftRows = [...new Set([...order, ...Array.from({ length: Math.min(n, DRIFT_SAMPLES) }, (_, i) => Math.floor((i * n) / Math.min(n, DRIFT_SAMPLES)))])];
  const heatInDrift = order.map((i) => driftRows.indexOf(i));
  const driftX = Float64Array.from(driftRows.flatMap((i) => Array.from(task.x.subarray(i * d, (i + 1) * d))));
  const flush = (force = false) => {
    const now = performance.now();
    if (!force && now - lastFlush < FLUSH_MS) return;
    lastFlush = now;
    if (rows.length || tests.length || drift.length || heat || regions) {
      post({ type: 'rows', runId, rows, tests, drift, ...(heat ? { heat } : {}), ...(regions ? { regions, regionsStep } : {}) });
    }
    rows = []; tests = []; drift = []; heat = undefined; regions = undefined;
  };
  const measureKernel = async (k: number) => {
    const p = snapshots.get(k);
    if (!p) return;
    snapshots.delete(k);
    const t0 = performance.now();
    try {
      const W = await p.W.data() as Float32Array;
      const Hk = structuredNtk(driftX, null, W, { inputDim: d }).data;
      if (!h0) h0 = Hk;
      lastDrift = kernelDrift(h0, Hk);
      drift.push({ k, drift: lastDrift });
      heat = submatrix(Hk, driftRows.length, heatInDrift);
      if (gridPoints && task.plane) {
        const lifted = task.plane.lift(gridPoints);
        const out = tf.tidy(() => base.apply(p, tf.tensor2d(Float32Array.from(lifted), [lifted.length / d, d])).logits);
        try {
          regions = Array.from(await out.data());
        } finally {
          out.dispose();
        }
        regionsStep = k;
      }
    } finally {
      base.dispose(p);
      kernelMs += performance.now() - t0;
    }
  };
  // u(k) is recorded (an extra forward pass) at up to RECORD_POINTS steps, always at 0 and K; the gap is
  // the maximum over those steps. A run holds at the last event of each step when paused.
  const recordAt = thinSteps(K, RECORD_POINTS);
  const recorded = new Set(recordAt);
  const measuredAt = (k: number) => recorded.has(k) && (k % driftEvery === 0 || k === K);
  const hold = async (k: number) => {
    if (k >= K) return;
    stepped = k;
    if (gate.playing) return;
    flush(true);
    post({ type: 'state', runId, playing: false, done: false, step: k });
    const t0 = performance.now();
    await gate.pass();
    pausedMs += performance.now() - t0;
    post({ type: 'state', runId, playing: gate.playing, done: false, step: k });
  };
  const started = performance.now();
  const reporter: ReporterV1 = {
    specificationVersion: 'v1', id: 'demo-worker',
    async onEvent(e: TrainerEvent) {
      // Time in the live overlay (theory, kernel drift, regions, posting), pauses excluded: the bench reports it beside steps/s.
      const t0 = performance.now();
      const paused0 = pausedMs;
      try {
        await overlay(e);
      } finally {
        overlayMs += performance.now() - t0 - (pausedMs - paused0);
      }
    },
  };
  async function overlay(e: TrainerEvent) {
    {
      if (e.type === 'eval-end' && e.split === 'train' && e.outputs) {
        const u = e.outputs;
        const pred = predicted.get(e.step) ?? theory.trajectory(e.step);
        let g = NaN;
        if (pred) {
          g = 0;
          for (let i = 0; i < n; i++) g = Math.max(g, Math.abs(u[i] - pred[i]));
          g /= theory.scale || 1;
          maxGap = Math.max(maxGap, g);
        }
        const label = sq(u, y) / (2 * n);
        const pi = sq(u, z) / (2 * n);
        finalLabel = label; finalPi = pi;
        const wd = pendingWd.get(e.step) ?? (e.step === 0 ? 0 : NaN);
        pendingWd.delete(e.step);
        rows.push({ k: e.step, label, pi, total: label + piLambda(state) * pi, weightDistance: wd, gap: g });
        if (measuredAt(e.step)) await measureKernel(e.step);
        flush(e.step === K);
        await hold(e.step);
      } else if (e.type === 'eval-end' && e.split === 'test') {
        lastTest = { k: e.step, loss: (e.metrics.labelError ?? NaN) ** 2 / (2 * task.nTest), accuracy: e.metrics.accuracy ?? NaN };
        tests.push(lastTest);
      } else if (e.type === 'step-end') {
        // ||W(k) - W(0)||_F arrives with step k's step-end, just before eval k's outputs.
        if (recorded.has(e.step)) pendingWd.set(e.step, e.weightDistance ?? NaN);
        else await hold(e.step);
      }
    }
  }
  const pendingWd = new Map<number, number>();
  const workers = shardsFor(state, task, fm);
  const run = startRun({
    model: base, terms: termsFor(state, fm ? teacher.featureDim : 0), reporters: [reporter], signal,
    data: datasetFromArrays({
      id: 'demo-task', inputDim: d, outputDim: 1,
      train: { x: task.x, targets: y, teacherLogits: z, ...(fm ? { teacherFeatures: teacher.features, teacherFeatureDim: teacher.featureDim } : {}) },
      test: { x: task.xTest, targets: task.yTest },
    }),
    settings: {
      ...(workers > 1 ? { workers } : {}), seed: state.seed, optimizer: { kind: state.batch > 0 ? 'sgd' : 'gd', lr: theory.eta }, steps: K,
      ...(state.batch > 0 ? { batchSize: Math.min(state.batch, n) } : {}),
      evalEvery: Math.max(1, Math.round(K / 100)), recordOutputsAt: recordAt,
      stability: { bound: theory.bound, allowUnstable: true },
    },
    // One readback every 8 steps (a reset then waits for the next read); the rows are flushed every 50 ms anyway.
    readEvery: 8,
    // W(k) for the kernel drift and the decision regions, in the shards too (gathered at those steps).
    snapshots: { at: recordAt.filter(measuredAt), onParams: (k, p) => { snapshots.set(k, p); } },
    ...(workers > 1 ? { shardTransport: ctx.shards.transport() } : {}),
  });
  let status = 'completed';
  let steps = K;
  try {
    const result = await run.result;
    status = result.status;
    steps = result.steps;
    base.dispose(result.params);
  } catch (err) {
    status = `stopped: ${(err as Error).message}`;
    steps = stepped;
  } finally {
    for (const p of snapshots.values()) base.dispose(p);
    snapshots.clear();
  }
  flush(true);
  if (signal.aborted) return;
  const elapsedMs = performance.now() - started;
  const summary: RunSummary = {
    steps, finalLabel, finalPi, finalTest: lastTest?.loss ?? null, testAccuracy: lastTest?.accuracy ?? null,
    gap: theory.kind === 'none' ? NaN : maxGap, kernelDrift: lastDrift, stepsPerSecond: steps / Math.max(1e-9, (elapsedMs - pausedMs) / 1000), elapsedMs, status,
    overlayMs: Math.round(overlayMs), kernelMs: Math.round(kernelMs),
  };
  post({ type: 'done', runId, summary });
}
