import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { defineRegularizer } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { createMemoryCheckpointStore } from './checkpoint.js';
import { DivergenceError, UnstableLearningRateError } from './divergence.js';
import { createMemoryReporter } from './reporters.js';
import { train } from './train.js';

beforeAll(async () => { await createCpuBackend().activate(); });

// For u = X W with X X^T = s^2 I, the NTK Gram is s^2 I: mu_max = s^2 and GD on
// 1/2 ||u - y||^2 + lambda/2 ||u - z||^2 converges iff eta < 2 / ((1 + lambda) s^2) (SCIENCE.md P3).
const { s, data } = orthogonalProblem();
const lambda = 1;
const muMax = s * s;
const bound = 2 / ((1 + lambda) * muMax);
const terms = [{ name: 'label', regularizer: squaredLabel() }, { name: 'pi', regularizer: quadraticPi({ lambda }) }];
const settings = (lr: number, extra = {}) => ({ seed: 3, optimizer: { kind: 'gd' as const, lr }, steps: 200, stability: { muMax, lambda, allowUnstable: true }, ...extra });

function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

describe('the stability bound is sharp for the trainer', () => {
  it('0.95x the bound converges; 1.05x the bound stops with DivergenceError quoting the bound', async () => {
    const model = linearModel({ vjp: true, trainable: ['W'] });
    const ok = await train({ model, terms, data, settings: settings(0.95 * bound) });
    expect(ok.finalMetrics.loss).toBeLessThan(ok.history[0].loss);
    model.dispose?.(ok.params);
    const before = tf.memory().numTensors;
    const run = train({ model, terms, data, settings: settings(1.05 * bound) });
    await expect(run).rejects.toThrow(DivergenceError);
    await expect(run).rejects.toThrow(`eta < 2 / ((1 + lambda) mu_max) = 2 / ((1 + 1) * 2.25) = ${Number(bound.toPrecision(4))}; optimizer.lr = ${Number((1.05 * bound).toPrecision(4))} is 1.05x the bound`);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('10x the bound: DivergenceError within a few steps, every emitted number finite, no checkpoint with NaN', async () => {
    const model = linearModel({ vjp: true, trainable: ['W'] });
    const reporter = createMemoryReporter();
    const store = createMemoryCheckpointStore();
    let err: DivergenceError | undefined;
    try {
      await train({ model, terms, data, reporters: [reporter], checkpoints: store, settings: settings(10 * bound, { checkpointEvery: 1 }) });
    } catch (e) { err = e as DivergenceError; }
    expect(err).toBeInstanceOf(DivergenceError);
    expect(err?.reason).toBe('growing');
    expect(err?.step).toBeLessThan(10);
    expect(err?.message).toMatch(/is 10x the bound/);
    const last = reporter.events.at(-1);
    expect(last).toMatchObject({ type: 'run-error', code: 'PIKT_DIVERGED' });
    expect(allFinite(reporter.events)).toBe(true);
    const saved = await store.load();
    expect(saved && Array.from(saved.params.W.data).every(Number.isFinite)).toBe(true);
  });

  it('without allowUnstable, full-batch GD above the bound is refused before any work', async () => {
    const model = linearModel({ vjp: true });
    const reporter = createMemoryReporter();
    const before = tf.memory().numTensors;
    const run = train({ model, terms, data, reporters: [reporter], settings: { ...settings(10 * bound), stability: { muMax, lambda } } });
    await expect(run).rejects.toThrow(UnstableLearningRateError);
    await expect(run).rejects.toThrow(/set stability.allowUnstable to true/);
    expect(reporter.events.map((e) => e.type)).toEqual(['run-error']);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('without a known bound, the error says how to get it', async () => {
    const model = linearModel({ vjp: true });
    await expect(train({ model, terms, data, settings: { seed: 3, optimizer: { kind: 'gd', lr: 10 * bound }, steps: 100 } }))
      .rejects.toThrow(/compute mu_max, the largest eigenvalue of the NTK Gram/);
  });
});

describe('non-finite losses', () => {
  it('a term that turns NaN stops the run at that step, naming the term', async () => {
    const nanAt3 = defineRegularizer({
      id: 'nan-at-3', needs: [], defaults: {},
      compute: ({ studentLogits }, _o, clock) => tf.tidy(() => tf.mul(tf.sum(studentLogits), clock.step === 2 ? Number.NaN : 0)),
    });
    const model = linearModel({ vjp: true });
    const run = train({ model, terms: [squaredLabel(), { name: 'flaky', regularizer: nanAt3() }], data, settings: { seed: 3, optimizer: { kind: 'gd', lr: 0.1 }, steps: 10 } });
    await expect(run).rejects.toThrow('Training diverged at step 3: the loss term "flaky" is NaN.');
  });
});
