import { describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { UnstableLearningRateError } from './divergence.js';
import { checkResumable, prepareRun } from './run-setup.js';

const { loaded: data } = orthogonalProblem();
const settings = { seed: 1, optimizer: { kind: 'sgd', lr: 0.1 }, batchSize: 2, epochs: 3 };

describe('prepareRun', () => {
  it('names bare regularizers by id, counts steps, and hashes what determines the numbers', () => {
    const p = prepareRun(linearModel(), [squaredLabel(), { name: 'pi', regularizer: quadraticPi() }], data, settings);
    expect(p.terms.map((t) => t.name)).toEqual(['test-squared-label', 'pi']);
    expect(p.totalSteps).toBe(6);
    expect(p.runId).toBe(`run-${p.configHash}`);
    expect(p.config).toMatchObject({ model: { id: 'linear', options: { scale: 0.5, bias: 0 } }, terms: [{ id: 'test-squared-label', name: 'test-squared-label' }, { id: 'test-quadratic-pi', name: 'pi', options: { lambda: 1 } }] });
    const same = prepareRun(linearModel(), [squaredLabel(), { name: 'pi', regularizer: quadraticPi() }], data, { ...settings, evalEvery: 3, checkpointEvery: 2 });
    expect(same.configHash).toBe(p.configHash); // reporting cadence does not change the numbers
    const other = prepareRun(linearModel(), [squaredLabel(), { name: 'pi', regularizer: quadraticPi({ lambda: 2 }) }], data, settings);
    expect(other.configHash).not.toBe(p.configHash);
    expect(prepareRun(linearModel(), [squaredLabel()], data, { ...settings, runId: 'mine' }).runId).toBe('mine');
    expect(() => checkResumable(p, { configHash: other.configHash, step: 2, runId: 'x' }, 'dir')).toThrow(/checkpoint in dir \(run "x", step 2\)/);
  });
  it('rejects bad terms, a batch larger than n, and unstable GD, in that order of checks', () => {
    expect(() => prepareRun(linearModel(), [], data, settings)).toThrow('"terms": got []');
    expect(() => prepareRun(linearModel(), [{ id: 'x' } as never], data, settings)).toThrow('"terms[0]"');
    expect(() => prepareRun(linearModel(), [squaredLabel(), squaredLabel()], data, settings)).toThrow('"terms[1].name": got "test-squared-label"');
    expect(() => prepareRun(linearModel(), [squaredLabel()], data, { ...settings, batchSize: 5 })).toThrow('"batchSize": got 5. Expected an integer in [1, 4] (the training split has n = 4 rows).');
    expect(() => prepareRun({} as never, [squaredLabel()], data, settings)).toThrow('"model"');
    expect(() => prepareRun(linearModel(), [squaredLabel()], data, { seed: 1, optimizer: { kind: 'gd', lr: 1 }, steps: 1, stability: { bound: 0.5 } }))
      .toThrow(UnstableLearningRateError);
  });
});
