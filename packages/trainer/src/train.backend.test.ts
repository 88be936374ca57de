import * as tf from '@tensorflow/tfjs-core';
import { datasetFromArrays } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { createMemoryCheckpointStore } from './checkpoint.js';
import { DivergenceError } from './divergence.js';
import { train } from './train.js';

// Runs once per backend (cpu, wasm): the loop must leave no tensor behind, whatever path it takes.
const { data, arrays } = orthogonalProblem();
const terms = () => [{ name: 'label', regularizer: squaredLabel() }, { name: 'pi', regularizer: quadraticPi({ lambda: 1 }) }];
const withTest = datasetFromArrays({ inputDim: 4, outputDim: 2, train: arrays, test: arrays });

describe('training loop on the test backend', () => {
  it('no tensor leak over 100 steps (gd with vjp, adam mini-batches with autodiff), with evals, outputs and checkpoints', async () => {
    await expectNoTensorLeak(async () => {
      for (const [vjp, optimizer, batchSize] of [[true, { kind: 'gd', lr: 0.1 }, undefined], [false, { kind: 'adam', lr: 0.01 }, 3]] as const) {
        const model = linearModel({ vjp, trainable: ['W'] });
        const r = await train({
          model, terms: terms(), data: withTest, checkpoints: createMemoryCheckpointStore(),
          settings: { seed: 5, optimizer, ...(batchSize ? { batchSize } : {}), steps: 100, evalEvery: 10, recordOutputsAt: [0, 50, 100], checkpointEvery: 25 },
        });
        expect(r.steps).toBe(100);
        expect(r.history.every((h) => Number.isFinite(h.loss))).toBe(true);
        model.dispose?.(r.params);
      }
    }, '100-step training runs');
  });

  it('no tensor leak when the run diverges or is aborted', async () => {
    await expectNoTensorLeak(async () => {
      const model = linearModel({ vjp: true });
      await expect(train({ model, terms: terms(), data, settings: { seed: 5, optimizer: { kind: 'gd', lr: 5 }, steps: 100 } })).rejects.toThrow(DivergenceError);
      const r = await train({ model, terms: terms(), data, signal: AbortSignal.abort(), settings: { seed: 5, optimizer: { kind: 'gd', lr: 0.1 }, steps: 100 } });
      model.dispose?.(r.params);
      // Aborted in the middle of a batch of reads, with an evaluation waiting for the next step's forward pass.
      const controller = new AbortController();
      const stop = { specificationVersion: 'v1' as const, id: 'stop', onEvent: (e: { type: string; step?: number }) => { if (e.type === 'step-end' && e.step === 9) controller.abort(); } };
      const mid = await train({ model, terms: terms(), data: withTest, readEvery: 4, signal: controller.signal, reporters: [stop], settings: { seed: 5, optimizer: { kind: 'gd', lr: 0.1 }, steps: 100, evalEvery: 3, recordOutputsAt: [12] } });
      expect(mid).toMatchObject({ status: 'aborted', steps: 13 });
      model.dispose?.(mid.params);
    }, 'diverged and aborted runs');
  });
});
