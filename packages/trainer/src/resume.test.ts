import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { datasetFromArrays } from '@pikt/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { createMemoryCheckpointStore } from './checkpoint.js';
import { createDirectoryCheckpointStore } from './directory-checkpoint-store.js';
import { createMemoryReporter } from './reporters.js';
import { train, type TrainResult } from './train.js';

let dir: string;
beforeAll(async () => {
  await createCpuBackend().activate();
  dir = await mkdtemp(join(tmpdir(), 'pikt-trainer-resume-'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const { data, arrays } = orthogonalProblem();
const terms = () => [{ name: 'label', regularizer: squaredLabel() }, { name: 'pi', regularizer: quadraticPi({ lambda: 0.5 }) }];
// Adam on mini-batches: the resumed run must restore parameters, both moment slots, the update count
// and the batch order of the epoch it stopped in.
const settings = { seed: 11, optimizer: { kind: 'adam' as const, lr: 0.05 }, batchSize: 3, steps: 30, checkpointEvery: 4, recordOutputsAt: [0, 10, 30], evalEvery: 5 };

const bits = (r: TrainResult) => Object.fromEntries(Object.entries(r.params).map(([k, t]) => [k, Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer))]));

async function uninterrupted(): Promise<TrainResult> {
  return train({ model: linearModel({ vjp: true }), terms: terms(), data, settings, checkpoints: createMemoryCheckpointStore() });
}

describe('abort + resume', () => {
  for (const kind of ['memory', 'directory'] as const) {
    it(`ends bit-identical to an uninterrupted run (${kind} store), with the whole history`, async () => {
      const full = await uninterrupted();
      const store = kind === 'memory' ? createMemoryCheckpointStore() : createDirectoryCheckpointStore(join(dir, 'run-a'));
      const controller = new AbortController();
      const stopper = { specificationVersion: 'v1' as const, id: 'stop', onEvent: (e: { type: string; step?: number }) => { if (e.type === 'step-end' && e.step === 13) controller.abort(); } };
      const first = await train({ model: linearModel({ vjp: true }), terms: terms(), data, settings, checkpoints: store, signal: controller.signal, reporters: [stopper] });
      expect(first).toMatchObject({ status: 'aborted', steps: 13 });
      tf.dispose(Object.values(first.params));
      expect((await store.load())?.step).toBe(13); // abort wrote a checkpoint at the step boundary

      const reporter = createMemoryReporter();
      const second = await train({ model: linearModel({ vjp: true }), terms: terms(), data, settings, checkpoints: store, resume: true, reporters: [reporter] });
      expect(second).toMatchObject({ status: 'completed', steps: 30, startStep: 13 });
      expect(reporter.events[0]).toMatchObject({ type: 'run-start', startStep: 13, runId: full.runId });
      expect(reporter.events.filter((e) => e.type === 'step-end').map((e) => e.step)).toEqual(Array.from({ length: 17 }, (_, i) => 14 + i));
      expect(bits(second)).toEqual(bits(full));
      expect(second.history).toEqual(full.history);
      expect(second.evals).toEqual(full.evals);
      expect(second.finalLoss).toBe(full.finalLoss);
      tf.dispose([...Object.values(full.params), ...Object.values(second.params)]);
    });
  }

  it('resuming from an older checkpoint (a killed run) repeats the lost steps identically', async () => {
    const full = await uninterrupted();
    const store = createMemoryCheckpointStore();
    const controller = new AbortController();
    let snapshot: Awaited<ReturnType<typeof store.load>>;
    const first = await train({
      model: linearModel({ vjp: true }), terms: terms(), data, settings, checkpoints: store, signal: controller.signal,
      onCheckpoint: async ({ step }) => { if (step === 8) { snapshot = await store.load(); controller.abort(); } },
    });
    tf.dispose(Object.values(first.params));
    // Pretend the process died after step 8's checkpoint but before the abort's: restore step 8.
    const older = createMemoryCheckpointStore();
    await older.save(snapshot!);
    const second = await train({ model: linearModel({ vjp: true }), terms: terms(), data, settings, checkpoints: older, resume: true });
    expect(second.startStep).toBe(8);
    expect(bits(second)).toEqual(bits(full));
    tf.dispose([...Object.values(full.params), ...Object.values(second.params)]);
  });

  it('keeps one weights file next to checkpoint.json in a directory store', async () => {
    const store = createDirectoryCheckpointStore(join(dir, 'run-b'));
    const r = await train({ model: linearModel({ vjp: true }), terms: terms(), data, settings, checkpoints: store });
    tf.dispose(Object.values(r.params));
    expect((await readdir(join(dir, 'run-b'))).sort()).toEqual(['checkpoint.json', 'weights-30.bin']);
  });

  it('refuses a checkpoint of another config, an occupied store without resume, and resume without a checkpoint', async () => {
    const store = createMemoryCheckpointStore();
    const short = { ...settings, steps: 4, recordOutputsAt: [] };
    const r = await train({ model: linearModel({ vjp: true }), terms: terms(), data, settings: short, checkpoints: store });
    tf.dispose(Object.values(r.params));
    await expect(train({ model: linearModel({ vjp: true }), terms: terms(), data, settings: short, checkpoints: store }))
      .rejects.toThrow(/already holds a checkpoint .* Pass resume: true/);
    await expect(train({ model: linearModel({ vjp: true }), terms: terms(), data, settings: { ...short, seed: 12 }, checkpoints: store, resume: true }))
      .rejects.toThrow(/was written by a run with a different model, loss terms, optimizer, schedule, seed or data/);
    const changed = datasetFromArrays({ inputDim: 4, outputDim: 2, train: { ...arrays, targets: arrays.targets.map((v) => -v) } });
    await expect(train({ model: linearModel({ vjp: true }), terms: terms(), data: changed, settings: short, checkpoints: store, resume: true }))
      .rejects.toThrow(/different model, loss terms, optimizer, schedule, seed or data/);
    await expect(train({ model: linearModel({ vjp: true }), terms: terms(), data, settings, checkpoints: createMemoryCheckpointStore(), resume: true }))
      .rejects.toThrow('resume was requested but memory holds no checkpoint.');
  });
});
