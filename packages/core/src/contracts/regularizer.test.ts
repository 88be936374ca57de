import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.js';
import { combinePredictions, defineRegularizer, predictionOf, resolveOptions } from './regularizer.js';
import type { RegularizerNeed, RegularizerPrediction } from './regularizer.js';

const noopCompute = () => { throw new Error('not called'); };

describe('resolveOptions', () => {
  const defaults = { lambda: 1, mode: 'sum', enabled: true };
  it('merges partial options over defaults', () => {
    expect(resolveOptions('q', defaults, { lambda: 3 })).toEqual({ lambda: 3, mode: 'sum', enabled: true });
  });
  it('names unknown keys, wrong types and non-finite numbers', () => {
    expect(() => resolveOptions('q', defaults, { lamda: 3 } as never)).toThrow('Invalid option "q.lamda": got 3. Expected one of the known options: lambda, mode, enabled.');
    expect(() => resolveOptions('q', defaults, { lambda: '3' } as never)).toThrow(/"q.lambda".*Expected a number/);
    expect(() => resolveOptions('q', defaults, { lambda: Number.NaN })).toThrow(/finite number/);
  });
});

describe('defineRegularizer', () => {
  it('runs validate and reports its message with the options', () => {
    const factory = defineRegularizer({ id: 'w', needs: ['targets'], defaults: { weight: 1 }, validate: (o) => (o.weight >= 0 ? undefined : 'weight >= 0'), compute: noopCompute });
    expect(() => factory({ weight: -1 })).toThrow(InvalidOptionError);
    expect(() => factory({ weight: -1 })).toThrow('Invalid option "weight" of regularizer "w": weight >= 0 (got -1). Change "weight" in the options of regularizer "w".');
    const huber = defineRegularizer({ id: 'pseudo-huber-pi', needs: ['teacherLogits'], defaults: { delta: 1, weight: 1 }, validate: (o) => (o.delta > 0 ? undefined : 'delta must be > 0'), compute: noopCompute });
    expect(() => huber({ delta: 0 })).toThrow('Invalid option "delta" of regularizer "pseudo-huber-pi": delta must be > 0 (got 0).');
    const vague = defineRegularizer({ id: 'v', needs: [], defaults: { a: 1 }, validate: () => 'not allowed', compute: noopCompute });
    expect(() => vague()).toThrow('Invalid option "options" of regularizer "v": not allowed (got {"a":1}).');
    expect(factory({ weight: 2 }).toJSON()).toEqual({ id: 'w', options: { weight: 2 } });
    expect(factory.defaults).toEqual({ weight: 1 });
  });
  it('rejects undeclared needs at definition time', () => {
    expect(() => defineRegularizer({ id: 'bad', needs: ['teacherLogit' as never], defaults: {}, compute: noopCompute })).toThrow(/bad.needs/);
  });
});

describe('prediction declarations', () => {
  const term = (id: string, needs: RegularizerNeed[], prediction?: RegularizerPrediction) => ({ id, needs, prediction });
  it('infers output-loss for terms of the outputs and none, with the reason, for terms of features', () => {
    expect(predictionOf(term('kl', ['teacherLogits']))).toEqual({ kind: 'output-loss' });
    expect(predictionOf(term('fm', ['studentFeatures', 'teacherFeatures']))).toEqual({ kind: 'none', reason: 'fm acts on studentFeatures and teacherFeatures, not on the outputs, so the output-space kernel predictor does not apply' });
    const q: RegularizerPrediction = { kind: 'quadratic', parts: [{ weight: 2, target: 'targets' }] };
    expect(predictionOf(term('q', ['targets'], q))).toBe(q);
  });
  it('combines: quadratic parts scaled by the weights, none wins, else output-loss', () => {
    const y = term('y', ['targets'], { kind: 'quadratic', parts: [{ weight: 1, target: 'targets' }] });
    const z = term('z', ['teacherLogits'], { kind: 'quadratic', parts: [{ weight: 0.5, target: 'teacherLogits' }] });
    expect(combinePredictions([y, z], [3, 4])).toEqual({ kind: 'quadratic', parts: [{ weight: 3, target: 'targets' }, { weight: 2, target: 'teacherLogits' }] });
    expect(combinePredictions([y, term('kl', ['teacherLogits'])])).toEqual({ kind: 'output-loss' });
    expect(combinePredictions([y, term('kl', ['teacherLogits']), term('fm', ['teacherFeatures'])]).kind).toBe('none');
  });
  it('is set on instances from the definition, per options', () => {
    const f = defineRegularizer({ id: 'p', needs: ['targets'], defaults: { weight: 1 }, prediction: (o) => ({ kind: 'quadratic', parts: [{ weight: o.weight, target: 'targets' }] }), compute: noopCompute });
    expect(f({ weight: 3 }).prediction).toEqual({ kind: 'quadratic', parts: [{ weight: 3, target: 'targets' }] });
    expect(defineRegularizer({ id: 'n', needs: ['targets'], defaults: {}, compute: noopCompute })().prediction).toBeUndefined();
  });
});
