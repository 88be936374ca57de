import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { InvalidOptionError, UnknownPluginError, createRegistry, type JsonObject } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { prepareExperiment, runExperiment, type ModelFactory, type ExperimentRegistries } from './experiment.js';
import { createMemoryReporter } from './reporters.js';

beforeAll(async () => { await createCpuBackend().activate(); });

function registries(): ExperimentRegistries {
  const models = createRegistry<ModelFactory>('model');
  models.register('linear', (o: { vjp?: boolean; scale?: number } = {}) => {
    if (o.scale !== undefined && !(o.scale > 0)) throw new InvalidOptionError('linear.scale', o.scale, 'a number > 0');
    return linearModel({ vjp: o.vjp ?? true, scale: o.scale ?? 0.5, trainable: ['W'] });
  });
  const regularizers = createRegistry<ExperimentRegistries['regularizers'] extends { get(id: string): infer F } ? F : never>('regularizer');
  regularizers.register(squaredLabel.id, squaredLabel);
  regularizers.register(quadraticPi.id, quadraticPi);
  return { models, regularizers };
}

const { data } = orthogonalProblem();
const config: JsonObject = {
  seed: 4, steps: 5, optimizer: { kind: 'gd', lr: 0.2 },
  model: { id: 'linear', options: { vjp: true } },
  terms: [{ id: 'test-squared-label', name: 'label' }, { id: 'test-quadratic-pi', name: 'pi', options: { lambda: 1 } }],
};

describe('experiments from JSON configs', () => {
  it('builds the model and terms from the registries and runs; run-start carries the full config', async () => {
    const reporter = createMemoryReporter();
    const r = await runExperiment({ config, data, ...registries(), reporters: [reporter] });
    expect(r.steps).toBe(5);
    expect(Object.keys(r.history[0].terms)).toEqual(['label', 'pi']);
    const start = reporter.events[0] as { config: JsonObject };
    expect(start.config).toMatchObject({
      seed: 4, steps: 5, model: { id: 'linear-vjp' },
      terms: [{ id: 'test-squared-label', name: 'label', options: { weight: 1 } }, { id: 'test-quadratic-pi', name: 'pi', options: { lambda: 1 } }],
    });
    tf.dispose(Object.values(r.params));
  });

  it('the same config gives the same numbers (seed + backend)', async () => {
    const a = await runExperiment({ config, data, ...registries() });
    const b = await runExperiment({ config, data, ...registries() });
    expect(Array.from(b.params.W.dataSync())).toEqual(Array.from(a.params.W.dataSync()));
    expect(b.runId).toBe(a.runId);
    tf.dispose([...Object.values(a.params), ...Object.values(b.params)]);
  });

  it('fails before any work on an unknown id, a bad factory option (renamed to the config field) or a bad field', async () => {
    const before = tf.memory().numTensors;
    const reporter = createMemoryReporter();
    await expect(runExperiment({ config: { ...config, model: { id: 'lineer' } }, data, ...registries(), reporters: [reporter] }))
      .rejects.toThrow(UnknownPluginError);
    expect(reporter.events).toMatchObject([{ type: 'run-error', code: 'PIKT_UNKNOWN_PLUGIN', message: expect.stringContaining('Known models: linear') }]);
    const badTerm = { ...config, terms: [{ id: 'test-quadratic-pi', options: { lamda: 1 } }] };
    await expect(runExperiment({ config: badTerm, data, ...registries() })).rejects.toThrow('Invalid option "terms[0].options.lamda": got 1. Expected one of the known options: lambda.');
    const aliased = registries();
    aliased.regularizers.register('pi', quadraticPi);
    await expect(runExperiment({ config: { ...config, terms: [{ id: 'pi', options: { lambda: 'big' } }] }, data, ...aliased }))
      .rejects.toThrow('Invalid option "terms[0].options.lambda": got "big". Expected a number.');
    await expect(runExperiment({ config: { ...config, model: { id: 'linear', options: { scale: -1 } } }, data, ...registries() }))
      .rejects.toThrow('Invalid option "model.options.scale": got -1.');
    await expect(runExperiment({ config: { ...config, optimizer: { kind: 'gd', lr: 0 } }, data, ...registries() }))
      .rejects.toThrow('Invalid option "optimizer.lr": got 0. Expected a finite number > 0.');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('prepareExperiment makes no tensor', () => {
    const before = tf.memory().numTensors;
    const p = prepareExperiment(config, registries());
    expect(p.terms.map((t) => t.name)).toEqual(['label', 'pi']);
    expect(p.settings).not.toHaveProperty('model');
    expect(tf.memory().numTensors).toBe(before);
  });
});
