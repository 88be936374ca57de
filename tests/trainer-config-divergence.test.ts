// Issue 3 acceptance: a config with a bad field fails before any work, naming the field; a learning
// rate 10x above the stability bound stops with the divergence error, not NaNs in the output.
import * as tf from '@tensorflow/tfjs-core';
import { createWasmBackend } from '@pikt/backend-wasm';
import { createRegistry, datasetFromArrays, InvalidOptionError, type JsonObject } from '@pikt/core';
import { createMlpTeacher, createWideStudent } from '@pikt/models';
import {
  DivergenceError, UnstableLearningRateError, createMemoryCheckpointStore, createMemoryReporter, initialParams, runExperiment,
  type ExperimentRegistries, type ModelFactory,
} from '@pikt/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { empiricalGramMuMax, makeTeacherStudentTask } from './fixtures/trainer-synthetic.js';
import { registerBuiltinRegularizers } from '@pikt/regularizers';

beforeAll(async () => { await createWasmBackend().activate(); });

function registries(): ExperimentRegistries {
  const models = createRegistry<ModelFactory>('model');
  models.register('wide-student', createWideStudent);
  models.register('mlp-teacher', createMlpTeacher);
  const regularizers: ExperimentRegistries['regularizers'] = createRegistry('regularizer');
  registerBuiltinRegularizers(regularizers);
  return { models, regularizers };
}

const d = 16;
const n = 64;
const width = 1024;
const s = makeTeacherStudentTask(11, d, 0.25).draw('student-train', n);
const z = s.y.map((y, i) => y * (0.5 + (i % 3) / 4));
const data = datasetFromArrays({ inputDim: d, outputDim: 1, train: { x: s.x, targets: s.y, teacherLogits: z } });
const lambda = 1;
const base: JsonObject = {
  seed: 3, steps: 100, optimizer: { kind: 'gd', lr: 0.1 },
  model: { id: 'wide-student', options: { width } },
  terms: [{ id: 'label-fit', name: 'label' }, { id: 'quadratic-pi', name: 'pi', options: { lambda } }],
};
const withField = (path: string, value: unknown): JsonObject => {
  const c = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  let o = c;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys.at(-1) as string] = value;
  return c as JsonObject;
};

function finiteEverywhere(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(finiteEverywhere);
  if (value && typeof value === 'object') return Object.values(value).every(finiteEverywhere);
  return true;
}

describe('bad configs fail before any work, naming the field', () => {
  const cases: Array<[string, JsonObject, string]> = [
    ['optimizer.lr', withField('optimizer.lr', -0.1), 'Invalid option "optimizer.lr": got -0.1. Expected a finite number > 0.'],
    ['optimizer.kind', withField('optimizer.kind', 'lbfgs'), 'Invalid option "optimizer.kind": got "lbfgs". Expected one of "gd", "sgd", "adam".'],
    ['steps', withField('steps', 0), 'Invalid option "steps": got 0.'],
    ['an unknown field', withField('learningRate', 0.1), 'Invalid option "learningRate": got 0.1. Expected one of the known fields'],
    ['model.options.width (odd with symmetric init)', withField('model.options', { width: 1023 }), 'Invalid option "model.options.width": got 1023.'],
    ['terms[1].options (a misspelt option)', withField('terms', [{ id: 'label-fit' }, { id: 'quadratic-pi', options: { lamda: 1 } }]), 'Invalid option "terms[1].options.lamda"'],
    ['stability.lambda', withField('stability', { muMax: 2 }), 'Invalid option "stability.lambda": got undefined.'],
    ['recordOutputsAt beyond the run', withField('recordOutputsAt', [0, 500]), 'Invalid option "recordOutputsAt[1]": got 500. Expected a step in [0, 100]'],
  ];
  for (const [field, config, message] of cases) {
    it(field, async () => {
      const before = tf.memory().numTensors;
      const reporter = createMemoryReporter();
      const run = runExperiment({ config, data, ...registries(), reporters: [reporter] });
      await expect(run).rejects.toThrow(InvalidOptionError);
      await expect(run).rejects.toThrow(message);
      expect(reporter.events.map((e) => e.type)).toEqual(['run-error']); // no run-start: no work was done
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('a learning rate 10x above the stability bound', () => {
  // mu_max of the empirical NTK Gram at the run's own W(0) (seed 3), in float64.
  let muMax = 0;
  let bound = 0;
  beforeAll(() => {
    const model = createWideStudent({ width });
    const p = initialParams(model, 3, { inputDim: d, outputDim: 1 });
    muMax = empiricalGramMuMax(s.x, n, d, Float32Array.from(p.W.dataSync()), width);
    model.dispose?.(p);
    bound = 2 / ((1 + lambda) * muMax);
  });

  it('is refused up front for full-batch GD when mu_max is known', async () => {
    const config = { ...base, optimizer: { kind: 'gd', lr: 10 * bound }, stability: { muMax, lambda } };
    const run = runExperiment({ config, data, ...registries() });
    await expect(run).rejects.toThrow(UnstableLearningRateError);
    await expect(run).rejects.toThrow(`(10x the bound): gradient descent would diverge`);
  });

  it('with allowUnstable: stops with DivergenceError quoting the bound; every emitted number and saved weight is finite', async () => {
    const before = tf.memory().numTensors;
    const reporter = createMemoryReporter();
    const store = createMemoryCheckpointStore();
    const config = { ...base, optimizer: { kind: 'gd', lr: 10 * bound }, stability: { muMax, lambda, allowUnstable: true }, checkpointEvery: 1, recordOutputsAt: [0, 1, 2, 3] };
    let error: unknown;
    try { await runExperiment({ config, data, ...registries(), reporters: [reporter], checkpoints: store }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(DivergenceError);
    const err = error as DivergenceError;
    expect(err.message).toContain(`eta < 2 / ((1 + lambda) mu_max) = 2 / ((1 + 1) * ${Number(muMax.toPrecision(4))}) = ${Number(bound.toPrecision(4))}`);
    expect(err.message).toContain('is 10x the bound');
    expect(err.step).toBeLessThan(100);
    expect(reporter.events.at(-1)).toMatchObject({ type: 'run-error', code: 'PIKT_DIVERGED' });
    expect(reporter.events.filter((e) => e.type === 'step-end').length).toBeGreaterThan(0);
    expect(finiteEverywhere(reporter.events)).toBe(true);
    const saved = await store.load();
    expect(saved && Object.values(saved.params).every((p) => Array.from(p.data).every(Number.isFinite))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    console.log(`[trainer divergence] mu_max ${muMax.toFixed(4)}, bound ${bound.toFixed(4)}, lr ${(10 * bound).toFixed(4)}: stopped at step ${err.step} (${err.reason}); last saved checkpoint at step ${saved?.step}`);
  });

  it('with mini-batch SGD (outside the theory, not refused up front) the bound is still quoted, as a guide', async () => {
    const config = { ...base, optimizer: { kind: 'sgd', lr: 10 * bound }, batchSize: 16, stability: { muMax, lambda } };
    const run = runExperiment({ config, data, ...registries() });
    await expect(run).rejects.toThrow(DivergenceError);
    await expect(run).rejects.toThrow(/that is the full-batch GD bound; sgd is outside the theory, so it is a guide only/);
  });
});
