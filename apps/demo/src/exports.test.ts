import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDistillConfig } from '../../cli/src/commands/distill-config.js';
import { distillConfig } from './exports.js';
import { DEFAULT_STATE, normalizeState } from './state.js';

describe('the equivalent pikt distill config', () => {
  it('is accepted by the CLI\'s own validator for an image pair, with the state\'s numbers', async () => {
    const state = normalizeState({ dataset: 'mnist', n: 200, dim: 32, lambda: 2, regularizer: 'kl', temperature: 3, width: 4096, steps: 300, seed: 5, teacherSteps: 100, teacherFraction: 0.5 });
    const c = distillConfig(state, 0.0125);
    expect(c.ok).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'pikt-demo-'));
    try {
      const file = join(dir, 'exp.json');
      writeFileSync(file, JSON.stringify(c.config));
      const read = await readDistillConfig(file);
      expect(read.data).toEqual({ dataset: 'mnist', classes: [3, 5], trainPerClass: 100, testPerClass: 100, teacherPerClass: 100, pcaDim: 32, seed: 5 });
      expect(read.teacher).toEqual({ hidden: 32, steps: 100, lr: 0.02, trainFraction: 0.5 });
      expect(read.experiment).toEqual({
        model: { id: 'wide-student', options: { width: 4096 } },
        terms: [{ id: 'label-fit', name: 'label' }, { id: 'hinton-kl', name: 'pi', options: { weight: 2, temperature: 3 } }],
        optimizer: { kind: 'gd', lr: 0.0125 }, steps: 300, seed: 5, evalEvery: 3,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why a 2-D set has no CLI equivalent and keeps the experiment part', () => {
    const c = distillConfig({ ...DEFAULT_STATE, batch: 20 }, 0.01);
    expect(c.ok).toBe(false);
    expect(c.reason).toBe('pikt distill reads MNIST, Fashion-MNIST or CIFAR-10; the moons set exists only in the demo, so this file holds the experiment part only.');
    expect(c.config).toEqual({ experiment: {
      model: { id: 'wide-student', options: { width: 2048 } }, terms: [{ id: 'label-fit', name: 'label' }, { id: 'quadratic-pi', name: 'pi', options: { lambda: 1 } }],
      optimizer: { kind: 'sgd', lr: 0.01 }, steps: 200, seed: 1, evalEvery: 2, batchSize: 20,
    } });
  });
});
