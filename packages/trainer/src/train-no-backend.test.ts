import * as tf from '@tensorflow/tfjs-core';
import { NoBackendError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, squaredLabel } from '../test-support/linear-model.js';
import { train } from './train.js';

// This file activates no backend (each test file runs in its own process): train() must say which
// adapter to activate, not fail with tfjs's bare "No backend found in registry".
describe('train() without an active backend', () => {
  it('rejects with NoBackendError naming the adapters, before making a tensor', async () => {
    expect(Object.keys((tf.engine() as unknown as { registryFactory: object }).registryFactory)).toEqual([]);
    const { data } = orthogonalProblem();
    const run = train({ model: linearModel(), terms: [squaredLabel()], data, settings: { seed: 1, optimizer: { kind: 'gd', lr: 0.1 }, steps: 2 } });
    await expect(run).rejects.toThrow(NoBackendError);
    await expect(run).rejects.toThrow('train() needs a tfjs backend, but none is active (tfjs: "No backend found in registry"). Activate one first: `await createWasmBackend().activate()`');
  });
});
