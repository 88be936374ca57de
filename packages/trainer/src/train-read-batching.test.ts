import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { datasetFromArrays, defineRegularizer, type TrainerEvent } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { createMemoryCheckpointStore, type Checkpoint } from './checkpoint.js';
import { DivergenceError } from './divergence.js';
import { evaluateSplitAsync } from './evaluate.js';
import { createMemoryReporter } from './reporters.js';
import { splitTensors } from './run-tensors.js';
import { train, type TrainOptions } from './train.js';

beforeAll(async () => { await createCpuBackend().activate(); });

// Reads are batched (readEvery): what the events carry must not depend on when they are read.
const { s, data, arrays, loaded } = orthogonalProblem();
const withTest = datasetFromArrays({ inputDim: 4, outputDim: 2, train: arrays, test: { ...arrays, x: arrays.x.map((v) => 0.5 * v) } });
const terms = () => [{ name: 'label', regularizer: squaredLabel() }, { name: 'pi', regularizer: quadraticPi({ lambda: 1 }) }];
const gd = { seed: 4, optimizer: { kind: 'gd' as const, lr: 0.1 }, steps: 23, evalEvery: 4, recordOutputsAt: [0, 1, 5, 6, 12, 20, 23] };
const adam = { seed: 4, optimizer: { kind: 'adam' as const, lr: 0.05 }, batchSize: 3, steps: 17, evalEvery: 3, recordOutputsAt: [0, 2, 9, 17] };
const bound = 2 / ((1 + 1) * s * s);

/** Events without their wall-clock times. */
const timeless = (events: readonly TrainerEvent[]) => events.map((e) => {
  const { elapsedMs: _ms, ...rest } = e as TrainerEvent & { elapsedMs?: number };
  return rest;
});

async function run(settings: TrainOptions['settings'], extra: Partial<TrainOptions> = {}) {
  const reporter = createMemoryReporter();
  const model = linearModel({ vjp: true, trainable: ['W'] });
  try {
    const r = await train({ model, terms: terms(), data: withTest, settings, reporters: [reporter], ...extra });
    const W = Array.from(await r.params.W.data());
    tf.dispose(Object.values(r.params));
    return { events: timeless(reporter.events), W, finalMetrics: r.finalMetrics, history: r.history, evals: r.evals };
  } catch (err) {
    return { events: timeless(reporter.events), error: err as Error };
  }
}

describe('batched reads (readEvery)', () => {
  it('give the same events, in the same order, for every readEvery (gd and mini-batch adam)', async () => {
    for (const settings of [gd, adam]) {
      const one = await run(settings, { readEvery: 1 });
      expect(one.events.filter((e) => e.type === 'step-end').map((e) => e.step)).toEqual(Array.from({ length: settings.steps }, (_, i) => i + 1));
      for (const readEvery of [2, 3, 7, 1000, undefined]) {
        const other = await run(settings, readEvery === undefined ? {} : { readEvery });
        expect(other.events).toEqual(one.events);
        expect(other.W).toEqual(one.W);
        expect(other.finalMetrics).toEqual(one.finalMetrics);
      }
    }
  });

  it('record u(k) equal to an independent evaluation at W(k) (the next step\'s forward pass is reused)', async () => {
    const long = await run(gd, { readEvery: 5 });
    for (const k of [1, 6, 12]) {
      const model = linearModel({ vjp: true, trainable: ['W'] });
      const short = await train({ model, terms: terms(), data: withTest, settings: { ...gd, steps: k, recordOutputsAt: [] } });
      const split = splitTensors({ ...loaded.train, inputDim: 4, outputDim: 2 });
      const direct = await evaluateSplitAsync(model, short.params, split, terms(), { step: k, epoch: k, totalSteps: k });
      const recorded = long.evals!.find((e) => e.step === k && e.split === 'train');
      expect(recorded?.outputs).toEqual(Array.from(direct.outputs));
      expect(recorded?.metrics).toEqual(direct.metrics);
      tf.dispose([...Object.values(short.params), split.x, split.targets!, split.teacherLogits!]);
    }
  });

  it('stop a diverging run at the same step with the same error and the same events before it', async () => {
    const settings = { seed: 3, optimizer: { kind: 'gd' as const, lr: 10 * bound }, steps: 60, evalEvery: 2, recordOutputsAt: [0, 1, 2, 3] };
    const one = await run(settings, { readEvery: 1 });
    const ten = await run(settings, { readEvery: 10 });
    expect(one.error).toBeInstanceOf(DivergenceError);
    expect((ten.error as DivergenceError).step).toBe((one.error as DivergenceError).step);
    expect(ten.error?.message).toBe(one.error?.message);
    expect(ten.events).toEqual(one.events);
    expect(one.events.at(-1)).toMatchObject({ type: 'run-error', code: 'PIKT_DIVERGED', step: (one.error as DivergenceError).step - 1 });
  });

  it('report the steps computed before a step that throws, then its error (as when every step was read)', async () => {
    const before = tf.memory().numTensors;
    const failAt7 = defineRegularizer({
      id: 'fail-at-7', needs: [], defaults: {},
      compute: ({ studentLogits }, _o, clock) => {
        if (clock.step === 6) throw new Error('term failed at step 7');
        return tf.mul(tf.sum(studentLogits), 0);
      },
    });
    const events = async (readEvery: number) => {
      const reporter = createMemoryReporter();
      const model = linearModel({ vjp: true, trainable: ['W'] });
      const run = train({ model, terms: [...terms(), { name: 'flaky', regularizer: failAt7() }], data: withTest, reporters: [reporter], readEvery, settings: { ...gd, recordOutputsAt: [6] } });
      await expect(run).rejects.toThrow('term failed at step 7');
      return timeless(reporter.events);
    };
    const one = await events(1);
    expect(one.filter((e) => e.type === 'step-end').map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6]);
    // The evaluation at step 6 (clock step 6) is where the term first fails: step-end 6, then the error.
    expect(one.at(-2)).toMatchObject({ type: 'step-end', step: 6 });
    expect(one.at(-1)).toMatchObject({ type: 'run-error', step: 6, message: 'term failed at step 7' });
    expect(await events(10)).toEqual(one);
    expect(await events(3)).toEqual(one);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('read before each checkpoint: it holds every step up to its own, and resuming from it ends bit-identical', async () => {
    const settings = { ...adam, checkpointEvery: 5 };
    const full = await run(settings, { readEvery: 1, checkpoints: createMemoryCheckpointStore() });
    const store = createMemoryCheckpointStore();
    const snapshots: Checkpoint[] = [];
    const batched = await run(settings, { readEvery: 4, checkpoints: store, onCheckpoint: async () => { snapshots.push((await store.load())!); } });
    expect(batched.events).toEqual(full.events);
    expect(snapshots.map((c) => [c.step, c.history.length, c.history.at(-1)?.step])).toEqual([[5, 5, 5], [10, 10, 10], [15, 15, 15], [17, 17, 17]]);
    expect(snapshots[1].evals.map((e) => e.step)).toEqual(full.evals!.filter((e) => e.step <= 10).map((e) => e.step));
    const older = createMemoryCheckpointStore();
    await older.save(snapshots[1]);
    const resumed = await run(settings, { readEvery: 3, checkpoints: older, resume: true });
    expect(resumed.W).toEqual(full.W);
    expect(resumed.history).toEqual(full.history);
    expect(resumed.evals).toEqual(full.evals);
  });

  it('honour an abort at the next read, reporting the steps already computed', async () => {
    const controller = new AbortController();
    const stopAt3 = { specificationVersion: 'v1' as const, id: 'stop', onEvent: (e: TrainerEvent) => { if (e.type === 'step-end' && e.step === 3) controller.abort(); } };
    const model = linearModel({ vjp: true });
    const r = await train({ model, terms: terms(), data, readEvery: 5, signal: controller.signal, reporters: [stopAt3], settings: { ...gd, recordOutputsAt: [] } });
    expect(r).toMatchObject({ status: 'aborted', steps: 5 });
    expect(r.history.map((h) => h.step)).toEqual([1, 2, 3, 4, 5]);
    tf.dispose(Object.values(r.params));
  });

  it('onUpdate hands out W(k) after each update (from the start step), usable after a clone', async () => {
    const clones = new Map<number, tf.Tensor>();
    const model = linearModel({ vjp: true, trainable: ['W'] });
    const r = await train({ model, terms: terms(), data, readEvery: 4, settings: { ...gd, steps: 6, recordOutputsAt: [2] }, onUpdate: (k, p) => { clones.set(k, tf.clone(p.W)); } });
    expect([...clones.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(clones.get(6)!.dataSync())).toEqual(Array.from(r.params.W.dataSync()));
    const short = await train({ model, terms: terms(), data, settings: { ...gd, steps: 3, recordOutputsAt: [] } });
    expect(Array.from(clones.get(3)!.dataSync())).toEqual(Array.from(short.params.W.dataSync()));
    tf.dispose([...clones.values(), ...Object.values(r.params), ...Object.values(short.params)]);
  });

  it('never reads synchronously (GPU backends have no fast dataSync): a run with evals, records, checkpoints and resume', async () => {
    const proto = tf.Tensor.prototype as unknown as Record<'dataSync' | 'arraySync', () => never>;
    const saved = { dataSync: proto.dataSync, arraySync: proto.arraySync };
    const calls: string[] = [];
    for (const name of ['dataSync', 'arraySync'] as const) proto[name] = () => { calls.push(name); throw new Error(`${name} called`); };
    try {
      const store = createMemoryCheckpointStore();
      const settings = { ...gd, checkpointEvery: 6 };
      const first = await run(settings, { readEvery: 4, checkpoints: store, onCheckpoint: async ({ step }) => { if (step === 12) throw new Error('stop here'); } });
      expect(first.error?.message).toBe('stop here');
      const resumed = await run(settings, { readEvery: 4, checkpoints: store, resume: true });
      expect(resumed.error).toBeUndefined();
      expect(resumed.history?.length).toBe(gd.steps);
    } finally {
      Object.assign(proto, saved);
    }
    expect(calls).toEqual([]);
  });

  it('refuses a readEvery that is not an integer >= 1, before any tensor is made', async () => {
    const before = tf.memory().numTensors;
    for (const readEvery of [0, 2.5, -1]) {
      await expect(train({ model: linearModel(), terms: terms(), data, readEvery, settings: gd }))
        .rejects.toThrow(`"readEvery": got ${readEvery}. Expected an integer >= 1 (steps between reads of the losses).`);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
