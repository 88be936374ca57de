// Issue 15: the wide student sharded by width over worker threads inside one training run
// (settings.workers). A run on 2 workers must equal the same run on 1 (the main thread) up to float32
// summation order; checkpoints and resume must be exact; errors and aborts must stop every thread.
import * as tf from '@tensorflow/tfjs-core';
import { createWasmBackend } from '@pikt/backend-wasm';
import { createRng, datasetFromArrays, defineRegularizer, type DatasetV1, type TrainerEvent } from '@pikt/core';
import { createWideStudent, type WideStudentOptions } from '@pikt/models';
import { labelFit, quadraticPi } from '@pikt/regularizers';
import { expectNoTensorLeak } from '@pikt/testkit';
import { createMemoryCheckpointStore, liveShardThreads, startRun, train, type TrainingSettings, type TrainResult } from '@pikt/trainer';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useBundledShardWorker } from '../packages/trainer/test-support/shard-worker.js';

beforeAll(async () => {
  await createWasmBackend().activate();
  await useBundledShardWorker();
});
afterEach(() => { expect(liveShardThreads()).toBe(0); });

const n = 64;
const d = 16;
const m = 512;
const K = 2;

/** Unit-norm inputs, +-1 targets and teacher logits: L = 1/2 ||u - y||^2 + 1/2 ||u - z||^2. */
function data(): DatasetV1 {
  const rng = createRng(15);
  const x = rng.child('x').fillNormal(new Float32Array(n * d));
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * d, (i + 1) * d);
    const norm = Math.hypot(...row);
    row.forEach((v, j) => { row[j] = v / norm; });
  }
  const targets = Float32Array.from({ length: n * K }, () => ((rng.nextUint32() & 1) === 1 ? 1 : -1));
  const teacherLogits = rng.child('z').fillNormal(new Float32Array(n * K), 0, 0.5);
  const test = { x: x.slice(0, 16 * d), targets: targets.slice(0, 16 * K), teacherLogits: teacherLogits.slice(0, 16 * K) };
  return datasetFromArrays({ inputDim: d, outputDim: K, train: { x, targets, teacherLogits }, test });
}

const terms = () => [{ name: 'label', regularizer: labelFit() }, { name: 'pi', regularizer: quadraticPi({ lambda: 1 }) }];
const settings = (workers: number, extra: Partial<TrainingSettings> = {}): TrainingSettings => ({
  seed: 3, optimizer: { kind: 'gd', lr: 0.5 }, steps: 20, recordOutputsAt: [0, 10, 20], evalEvery: 5, workers, ...extra,
});
const student = (o: Partial<WideStudentOptions> = {}) => createWideStudent({ width: m, blockSize: 96, ...o });

/** Largest |got - want| over max |want| (the absolute error when want is all 0). */
function relMax(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) { err = Math.max(err, Math.abs(got[i] - want[i])); scale = Math.max(scale, Math.abs(want[i])); }
  return scale === 0 ? err : err / scale;
}

async function read(r: TrainResult) {
  const out = { W: Array.from(await r.params.W.data()), a: Array.from(await r.params.a.data()) };
  tf.dispose(Object.values(r.params));
  return out;
}

// float32 sums in another order (per shard, then across shards): over 20 steps the measured gaps are
// 1e-7 to 3e-7 of the largest value for losses, outputs and W, 1.6e-6 for ||W - W(0)||_F (a
// difference of nearby numbers); the bound 2e-5 leaves room for other inputs and longer runs.
const TOL = 2e-5;

function expectSameRun(sharded: TrainResult, single: TrainResult, p2: { W: number[]; a: number[] }, p1: { W: number[]; a: number[] }) {
  expect(sharded.steps).toBe(single.steps);
  expect(sharded.history.map((h) => h.step)).toEqual(single.history.map((h) => h.step));
  expect(relMax(sharded.history.map((h) => h.loss), single.history.map((h) => h.loss))).toBeLessThan(TOL);
  expect(relMax(sharded.history.map((h) => h.terms.pi), single.history.map((h) => h.terms.pi))).toBeLessThan(TOL);
  expect(relMax(sharded.history.map((h) => h.weightDistance!), single.history.map((h) => h.weightDistance!))).toBeLessThan(TOL);
  expect(sharded.evals.map((e) => [e.step, e.split])).toEqual(single.evals.map((e) => [e.step, e.split]));
  sharded.evals.forEach((e, i) => {
    expect(Object.keys(e.metrics).sort()).toEqual(Object.keys(single.evals[i].metrics).sort());
    if (e.outputs) expect(relMax(e.outputs, single.evals[i].outputs!)).toBeLessThan(TOL);
  });
  expect(Math.abs(sharded.finalLoss - single.finalLoss) / single.finalLoss).toBeLessThan(TOL);
  expect(relMax(p2.W, p1.W)).toBeLessThan(TOL);
  expect(relMax(p2.a, p1.a)).toBeLessThan(TOL);
}

describe('settings.workers: the wide student sharded over worker threads (wasm)', () => {
  it('20 full-batch GD steps on 2 workers equal the run on 1, and u(0) = 0 exactly (symmetric init)', async () => {
    const single = await train({ model: student(), terms: terms(), data: data(), settings: settings(1) });
    const events: TrainerEvent['type'][] = [];
    const run = startRun({ model: student(), terms: terms(), data: data(), settings: settings(2) });
    for await (const e of run.events) events.push(e.type);
    const sharded = await run.result;
    expect(sharded.evals[0].outputs!.every((v) => v === 0)).toBe(true);
    expect(single.evals[0].outputs!.every((v) => v === 0)).toBe(true);
    expect(events.filter((t) => t === 'step-end')).toHaveLength(20);
    expect(events.filter((t) => t === 'eval-end')).toHaveLength(single.evals.length);
    expectSameRun(sharded, single, await read(sharded), await read(single));
    expect(sharded.history[19].loss).toBeLessThan(0.6 * sharded.history[0].loss); // training works (0.54 measured)
  });

  it('trainLayers "both" with mini-batch SGD (batch 16) on 2 workers equals 1 worker', async () => {
    const s = (w: number) => settings(w, { optimizer: { kind: 'sgd', lr: 0.3 }, batchSize: 16, recordOutputsAt: [20] });
    const single = await train({ model: student({ trainLayers: 'both', symmetric: false }), terms: terms(), data: data(), settings: s(1) });
    const sharded = await train({ model: student({ trainLayers: 'both', symmetric: false }), terms: terms(), data: data(), settings: s(2) });
    const p1 = await read(single);
    const p2 = await read(sharded);
    expectSameRun(sharded, single, p2, p1);
    expect(p1.a.some((v) => Math.abs(Math.abs(v) - 1) > 1e-3)).toBe(true); // a (drawn as +-1) was trained
  });

  it('a checkpoint (abort at step 10) resumes exactly: the same final W as an uninterrupted 2-worker run', async () => {
    const whole = await read(await train({ model: student(), terms: terms(), data: data(), settings: settings(2) }));
    const store = createMemoryCheckpointStore();
    const ctl = new AbortController();
    const first = await train({
      model: student(), terms: terms(), data: data(), settings: settings(2, { checkpointEvery: 10 }), checkpoints: store, signal: ctl.signal,
      onCheckpoint: ({ step }) => { if (step === 10) ctl.abort(); },
    });
    expect(first.status).toBe('aborted');
    expect(first.steps).toBe(10);
    tf.dispose(Object.values(first.params));
    const saved = await store.load();
    expect(saved!.params.W.shape).toEqual([m, d]);
    const resumed = await train({ model: student(), terms: terms(), data: data(), settings: settings(2, { checkpointEvery: 10 }), checkpoints: store, resume: true });
    expect(resumed.startStep).toBe(10);
    expect(resumed.history).toHaveLength(20);
    const p = await read(resumed);
    expect(p.W).toEqual(whole.W);
    // The checkpoint is the unsharded format: a 1-worker run resumes it too.
    const store1 = createMemoryCheckpointStore();
    await store1.save(saved!);
    const on1 = await read(await train({ model: student(), terms: terms(), data: data(), settings: settings(1, { checkpointEvery: 10 }), checkpoints: store1, resume: true }));
    expect(relMax(on1.W, whole.W)).toBeLessThan(TOL);
  });

  it('leaks no tensor in the main thread over the run', async () => {
    await expectNoTensorLeak(async () => {
      const r = await train({ model: student(), terms: terms(), data: data(), settings: settings(2) });
      tf.dispose(Object.values(r.params));
    }, '20 sharded GD steps');
  });

  it('a loss term that throws mid-run rejects the run and stops every shard thread', async () => {
    let calls = 0;
    const failing = defineRegularizer({
      id: 'fails-at-5', needs: [], defaults: {},
      compute: (input) => { calls += 1; if (calls === 5) throw new Error('term failed on purpose'); return tf.tidy(() => tf.mul(0, tf.sum(input.studentLogits))); },
    });
    const run = train({ model: student(), terms: [...terms(), { name: 'f', regularizer: failing() }], data: data(), settings: settings(2, { recordOutputsAt: [], evalEvery: 0 }) });
    await expect(run).rejects.toThrow('term failed on purpose');
    expect(liveShardThreads()).toBe(0);
  });

  it('refuses combinations it cannot shard, saying what to do', async () => {
    const base = { terms: terms(), data: data() };
    await expect(train({ ...base, model: student(), settings: settings(0) })).rejects.toThrow('Invalid option "workers": got 0. Expected an integer >= 1 and <= 256.');
    await expect(train({ ...base, model: student(), settings: settings(2, { optimizer: { kind: 'adam', lr: 0.01 } }) })).rejects.toThrow(/workers: 1 with optimizer.kind "adam"/);
    await expect(train({ ...base, model: student({ features: 'hidden' }), settings: settings(2) })).rejects.toThrow('workers: 2: the wide student has features "hidden"; shards exchange only the outputs u. Use features: "none" (the default), or workers: 1.');
    await expect(train({ ...base, model: student({ width: 6 }), settings: settings(4) })).rejects.toThrow('Invalid option "workers": got 4. Expected at most 3 for a wide student of width 6');
    const other = { ...createWideStudent({ width: 8 }), id: 'my-model' };
    await expect(train({ ...base, model: other, settings: settings(2) })).rejects.toThrow('workers: 2: only the wide student ("wide-student") can be sharded over worker threads, and the model is "my-model". Use workers: 1 for this model.');
    await expect(train({ ...base, model: student(), settings: settings(2), onUpdate: () => undefined }))
      .rejects.toThrow('workers: 2: onUpdate needs the parameters after every update, and they live in the shard threads. Drop onUpdate (read the final params, or checkpoints), or use workers: 1.');
    expect(liveShardThreads()).toBe(0);
  });
});
