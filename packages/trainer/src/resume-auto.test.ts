import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { datasetFromArrays } from '@pikt/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, squaredLabel } from '../test-support/linear-model.js';
import { createDirectoryCheckpointStore } from './directory-checkpoint-store.js';
import { train, type TrainOptions } from './train.js';

let dir: string;
beforeAll(async () => {
  await createCpuBackend().activate();
  dir = await mkdtemp(join(tmpdir(), 'pikt-trainer-auto-'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const { data, arrays } = orthogonalProblem();

describe("resume: 'auto'", () => {
  it('the same script run twice: the second run returns the completed first run instead of PIKT_CHECKPOINT_EXISTS', async () => {
    const options = (): TrainOptions => ({
      model: linearModel({ vjp: true }), terms: [squaredLabel()], data, resume: 'auto',
      settings: { seed: 3, optimizer: { kind: 'gd', lr: 0.1 }, steps: 6, checkpointEvery: 2 },
      checkpoints: createDirectoryCheckpointStore(join(dir, 'run')),
    });
    const first = await train(options());
    const second = await train(options());
    expect([first.startStep, first.steps, second.startStep, second.steps]).toEqual([0, 6, 6, 6]);
    expect(Array.from(second.params.W.dataSync())).toEqual(Array.from(first.params.W.dataSync()));
    expect(second.finalLoss).toBe(first.finalLoss);
    expect(second.history).toEqual(first.history);
    tf.dispose([...Object.values(first.params), ...Object.values(second.params)]);
    // 'auto' still refuses a checkpoint of another run (other data).
    const other = datasetFromArrays({ inputDim: 4, outputDim: 2, train: { ...arrays, targets: arrays.targets.map((v) => -v) } });
    await expect(train({ ...options(), data: other })).rejects.toThrow(/was written by a run with a different model, loss terms, optimizer, schedule, seed or data/);
  });
});
