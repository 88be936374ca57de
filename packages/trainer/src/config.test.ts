import { InvalidOptionError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { stabilityBound, stepsPerEpoch, totalStepsFor, validateExperimentConfig, validateSettings } from './config.js';

const ok = { seed: 1, optimizer: { kind: 'gd', lr: 0.1 }, steps: 10 };

describe('validateSettings', () => {
  it('fills the defaults', () => {
    expect(validateSettings(ok)).toEqual({
      seed: 1, steps: 10, optimizer: { kind: 'gd', lr: 0.1 },
      checkpointEvery: 0, evalEvery: 0, recordOutputsAt: [], trackWeightDistance: true, divergence: { window: 5, factor: 10 },
    });
    expect(validateSettings({ ...ok, recordOutputsAt: [5, 0, 5] }).recordOutputsAt).toEqual([0, 5]);
    expect(validateSettings({ ...ok, workers: 2 }).workers).toBe(2);
    expect(validateSettings({ ...ok, optimizer: { kind: 'adam', lr: 1e-3 }, workers: 1 }).workers).toBe(1);
    expect(validateSettings({ ...ok, optimizer: { kind: 'adam', lr: 1e-3 } }).optimizer).toEqual({ kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });
  it('is idempotent: validated settings validate to themselves', () => {
    for (const raw of [ok, { ...ok, optimizer: { kind: 'adam', lr: 1 }, batchSize: 2, stability: { muMax: 1, lambda: 0 } }]) {
      const once = validateSettings(raw);
      expect(validateSettings(once)).toEqual(once);
    }
  });

  const cases: Array<[string, unknown, string]> = [
    ['unknown field', { ...ok, lr: 0.1 }, 'Invalid option "lr": got 0.1. Expected one of the known fields: runId, seed, optimizer'],
    ['negative lr', { ...ok, optimizer: { kind: 'gd', lr: -1 } }, 'Invalid option "optimizer.lr": got -1. Expected a finite number > 0.'],
    ['string lr', { ...ok, optimizer: { kind: 'gd', lr: '0.1' } }, 'Invalid option "optimizer.lr": got "0.1". Expected a finite number > 0.'],
    ['unknown optimizer', { ...ok, optimizer: { kind: 'rmsprop', lr: 1 } }, 'Invalid option "optimizer.kind": got "rmsprop". Expected one of "gd", "sgd", "adam".'],
    ['adam option on gd', { ...ok, optimizer: { kind: 'gd', lr: 1, beta1: 0.9 } }, '"optimizer.beta1": got 0.9. Expected no "beta1" with optimizer.kind "gd"'],
    ['beta2 = 1', { ...ok, optimizer: { kind: 'adam', lr: 1, beta2: 1 } }, '"optimizer.beta2": got 1. Expected a finite number >= 0 and < 1.'],
    ['steps and epochs', { ...ok, epochs: 2 }, '"epochs": got 2. Expected exactly one of "steps" and "epochs".'],
    ['neither', { seed: 1, optimizer: ok.optimizer }, '"steps": got undefined. Expected exactly one of "steps" and "epochs".'],
    ['fractional steps', { ...ok, steps: 2.5 }, '"steps": got 2.5. Expected an integer >= 1 and <= 1000000000.'],
    ['gd batch', { ...ok, batchSize: 8 }, '"batchSize": got 8. Expected no batchSize with optimizer.kind "gd" (full-batch); use "sgd" for mini-batches.'],
    ['sgd without batch', { ...ok, optimizer: { kind: 'sgd', lr: 1 } }, '"batchSize": got undefined. Expected an integer >= 1 (mini-batch SGD needs a batch size'],
    ['seed', { ...ok, seed: -1 }, '"seed": got -1. Expected a non-negative integer or a non-empty string.'],
    ['checkpointEvery', { ...ok, checkpointEvery: -2 }, '"checkpointEvery": got -2. Expected an integer >= 0.'],
    ['recordOutputsAt', { ...ok, recordOutputsAt: [1, 'x'] }, '"recordOutputsAt[1]": got "x". Expected an integer >= 0'],
    ['muMax without lambda', { ...ok, stability: { muMax: 3 } }, '"stability.lambda": got undefined. Expected a number >= 0 alongside stability.muMax'],
    ['bound and muMax', { ...ok, stability: { muMax: 3, lambda: 1, bound: 0.3 } }, '"stability.bound": got 0.3. Expected either stability.bound or stability.muMax'],
    ['negative muMax', { ...ok, stability: { muMax: -3, lambda: 1 } }, '"stability.muMax": got -3. Expected a finite number > 0.'],
    ['divergence factor', { ...ok, divergence: { factor: 1 } }, '"divergence.factor": got 1. Expected a finite number > 1.'],
    ['not an object', 'gd', 'Expected an object.'],
    ['workers 0', { ...ok, workers: 0 }, '"workers": got 0. Expected an integer >= 1 and <= 256.'],
    ['fractional workers', { ...ok, workers: 1.5 }, '"workers": got 1.5. Expected an integer >= 1 and <= 256.'],
    ['workers as a string', { ...ok, workers: '2' }, '"workers": got "2". Expected an integer >= 1 and <= 256.'],
    ['workers with adam', { ...ok, optimizer: { kind: 'adam', lr: 1e-3 }, workers: 2 }, '"workers": got 2. Expected workers: 1 with optimizer.kind "adam" (sharded training runs gd and sgd; use one of them, or drop "workers").'],
  ];
  for (const [what, config, message] of cases) {
    it(`names the field: ${what}`, () => {
      expect(() => validateSettings(config)).toThrow(InvalidOptionError);
      expect(() => validateSettings(config)).toThrow(message);
    });
  }
});

describe('validateExperimentConfig', () => {
  const exp = { ...ok, model: { id: 'wide-student', options: { width: 64 } }, terms: [{ id: 'label' }, { id: 'pi', name: 'teacher', options: { lambda: 1 } }] };
  it('accepts model and term references and JSON options', () => {
    const c = validateExperimentConfig(exp);
    expect(c.model).toEqual({ id: 'wide-student', options: { width: 64 } });
    expect(c.terms).toEqual([{ id: 'label' }, { id: 'pi', name: 'teacher', options: { lambda: 1 } }]);
  });
  it('names bad model and term fields', () => {
    expect(() => validateExperimentConfig({ ...exp, model: { name: 'x' } })).toThrow('"model.name"');
    expect(() => validateExperimentConfig({ ...exp, terms: [] })).toThrow('"terms": got []. Expected a non-empty array');
    expect(() => validateExperimentConfig({ ...exp, terms: [{ id: 'a' }, { id: '' }] })).toThrow('"terms[1].id": got "". Expected a non-empty string.');
    expect(() => validateExperimentConfig({ ...exp, terms: [{ id: 'a' }, { id: 'a' }] })).toThrow('"terms[1].name": got "a". Expected a name not used by another term');
    expect(() => validateExperimentConfig({ ...exp, terms: [{ id: 'a', options: [1] }] })).toThrow('"terms[0].options": got [1]. Expected an object of JSON options.');
  });
});

describe('schedule helpers', () => {
  it('counts steps per epoch and in total', () => {
    expect(stepsPerEpoch(undefined, 10)).toBe(1);
    expect(stepsPerEpoch(3, 10)).toBe(4);
    expect(stepsPerEpoch(20, 10)).toBe(1);
    expect(totalStepsFor({ epochs: 3, batchSize: 3 }, 10)).toBe(12);
    expect(totalStepsFor({ steps: 7, batchSize: 3 }, 10)).toBe(7);
  });
  it('stabilityBound = 2 / ((1 + lambda) mu_max), or the given bound', () => {
    expect(stabilityBound({ muMax: 4, lambda: 3 })).toBe(0.125);
    expect(stabilityBound({ bound: 0.3 })).toBe(0.3);
    expect(stabilityBound({ allowUnstable: true })).toBeUndefined();
    expect(stabilityBound(undefined)).toBeUndefined();
  });
});
