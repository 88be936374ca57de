import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, squaredLabel } from '../test-support/linear-model.js';
import { prepareRun } from './run-setup.js';
import { createRunState } from './run-state.js';

beforeAll(async () => { await createCpuBackend().activate(); });

const { loaded: data } = orthogonalProblem();
const settings = { seed: 2, optimizer: { kind: 'gd', lr: 0.1 }, steps: 3 };

describe('run state', () => {
  it('snapshots a checkpoint that restores the same parameters and optimizer counter', async () => {
    const model = linearModel({ vjp: true });
    const prepared = prepareRun(model, [squaredLabel()], data, settings);
    const a = createRunState(model, prepared, createRng(2), undefined);
    a.step({ step: 0, epoch: 0 }, undefined, 'vjp');
    await a.read('r', { onStep: async () => undefined, onEval: async () => undefined });
    const c = await a.checkpoint(1, { recent: [1], best: 1 });
    expect(c).toMatchObject({ step: 1, optimizer: { kind: 'gd', t: 1, slots: {} }, rngKey: createRng(2).key, backend: 'cpu' });
    const b = createRunState(model, prepared, createRng(2), c);
    expect(b.startStep).toBe(1);
    const pa = a.takeParams();
    const pb = b.takeParams();
    expect(Array.from(pb.W.dataSync())).toEqual(Array.from(pa.W.dataSync()));
    a.dispose();
    b.dispose();
    tf.dispose([...Object.values(pa), ...Object.values(pb)]);
  });

  it('a checkpoint that does not fit the model, or a bad trainable name, leaks nothing', async () => {
    const model = linearModel({ vjp: true });
    const prepared = prepareRun(model, [squaredLabel()], data, settings);
    const a = createRunState(model, prepared, createRng(2), undefined);
    const c = await a.checkpoint(0, { recent: [], best: null });
    a.dispose();
    const before = tf.memory().numTensors;
    const wrongShape = { ...c, params: { ...c.params, W: { shape: [2, 2], dtype: 'float32' as const, data: new Float32Array(4) } } };
    expect(() => createRunState(model, prepared, createRng(2), wrongShape)).toThrow('Shape mismatch in checkpoint parameter "W": expected [4, 2], found [2, 2].');
    const missing = { ...c, params: { W: c.params.W } };
    expect(() => createRunState(model, prepared, createRng(2), missing)).toThrow('checkpoint parameters vs model parameters (names)');
    expect(() => createRunState(linearModel({ trainable: ['V'] }), prepared, createRng(2), undefined)).toThrow('"model.trainable[0]": got "V". Expected a parameter name of model "linear" (W, b).');
    expect(tf.memory().numTensors).toBe(before);
  });
});
