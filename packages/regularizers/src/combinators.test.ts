import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { MissingInputError, createRegistry, defineRegularizer, type RegularizerFactory, type RegularizerV1, type TrainingClock } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import type { SumOptions } from './combinators.js';
import { builtinRegularizers, registerBuiltinRegularizers, scheduled, sum, weighted } from './builtin.js';
import { hintonKl } from './hinton-kl.js';
import { labelFit } from './label-fit.js';
import { quadraticPi } from './quadratic-pi.js';
import { randomMatrix, scalar } from './test-helpers.js';

await createCpuBackend().activate();

const input = {
  studentLogits: randomMatrix(1, 5, 3).t,
  targets: randomMatrix(2, 5, 3).t,
  teacherLogits: randomMatrix(3, 5, 3).t,
};
const value = (r: RegularizerV1<any>, clock?: TrainingClock) => scalar(r.compute(input, clock)); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('sum', () => {
  const terms: SumOptions['terms'] = [{ id: 'label-fit', options: {} }, { id: 'quadratic-pi', options: { lambda: 2 }, weight: 0.5 }, { id: 'hinton-kl' }];
  it('is sum_j w_j L_j and needs the union of its terms needs', () => {
    const reg = sum({ terms });
    const want = value(labelFit()) + 0.5 * value(quadraticPi({ lambda: 2 })) + value(hintonKl());
    expect(value(reg)).toBeCloseTo(want, 4);
    expect(reg.needs).toEqual(['targets', 'teacherLogits']);
  });
  it('stores resolved child options, so the JSON form is stable', () => {
    const json = sum({ terms }).toJSON();
    expect(json.options.terms[0]).toEqual({ id: 'label-fit', options: { loss: 'squared', weight: 1, reduction: 'sum' }, weight: 1 });
    expect(sum(json.options).toJSON()).toEqual(json);
  });
  it('names the missing input, the bad child field and unknown ids', () => {
    const { targets: _omit, ...noTargets } = input;
    let caught: unknown;
    try { sum({ terms }).compute(noTargets); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(MissingInputError);
    expect((caught as MissingInputError).field).toBe('targets');
    expect(() => sum({ terms: [] })).toThrow(/sum.terms.*at least one term/);
    expect(() => sum({ terms: [{ id: 'quadratic-pi', options: { lambda: -1 } }] })).toThrow('Invalid option "sum.terms[0].options.lambda": got -1. Expected a finite number >= 0.');
    expect(() => sum({ terms: [{ id: 'label-fit', options: { wieght: 2 } as never }] })).toThrow(/"sum.terms\[0\].options.wieght"/);
    expect(() => sum({ terms: [{ id: 'kl' }] })).toThrow(/"sum.terms\[0\].id".*feature-matching, hinton-kl, label-fit, quadratic-pi, scheduled, sum, weighted/);
    expect(() => sum({ terms: [{ id: 'label-fit', weight: Number.NaN }] })).toThrow(/sum.terms\[0\].weight/);
  });
});

describe('weighted and scheduled', () => {
  it('weighted is w L_child', () => {
    expect(value(weighted({ weight: 3, term: { id: 'label-fit' } }))).toBeCloseTo(3 * value(labelFit()), 4);
    expect(() => weighted({ weight: 1 })).toThrow(/weighted.term.id/);
  });
  it('scheduled is w(clock) L_child and nests', () => {
    const reg = scheduled({ kind: 'linear', from: 0, to: 2, start: 0, end: 10, term: { id: 'sum', options: { terms: [{ id: 'quadratic-pi' }] } } });
    const base = value(quadraticPi());
    expect(value(reg, { step: 0, epoch: 0 })).toBe(0);
    expect(value(reg, { step: 5, epoch: 0 })).toBeCloseTo(base, 4);
    expect(value(reg, { step: 50, epoch: 3 })).toBeCloseTo(2 * base, 4);
    expect(reg.toJSON().options.term.options).toEqual({ terms: [{ id: 'quadratic-pi', options: { lambda: null, alpha: null, reduction: 'sum' }, weight: 1 }] });
  });
});

describe('registries', () => {
  it('builtinRegularizers lists every built-in factory by id', () => {
    expect(Object.keys(builtinRegularizers).sort()).toEqual(['feature-matching', 'hinton-kl', 'label-fit', 'quadratic-pi', 'scheduled', 'sum', 'weighted']);
    for (const [id, f] of Object.entries(builtinRegularizers)) expect(f.id).toBe(id);
  });
  it('the built-in combinators name the known ids for an unknown child (core registry, not a plain Error)', () => {
    expect(() => sum({ terms: [{ id: 'kl' }] })).toThrow('Invalid option "sum.terms[0].id": got "kl". '
      + 'Expected a registered regularizer id (feature-matching, hinton-kl, label-fit, quadratic-pi, scheduled, sum, weighted).');
  });
  it('registerBuiltinRegularizers binds combinators to the app registry, custom terms included', () => {
    const registry = createRegistry<RegularizerFactory<any>>('regularizer'); // eslint-disable-line @typescript-eslint/no-explicit-any
    registerBuiltinRegularizers(registry);
    registry.register('double-pi', defineRegularizer({
      id: 'double-pi', needs: ['teacherLogits'], defaults: {},
      compute: ({ studentLogits, teacherLogits }) => tf.tidy(() => tf.sum(tf.square(tf.sub(studentLogits, teacherLogits)))),
    }));
    const reg = registry.get('sum')({ terms: [{ id: 'double-pi' }, { id: 'label-fit' }] });
    expect(value(reg)).toBeCloseTo(2 * value(quadraticPi()) + value(labelFit()), 4);
    expect(() => registry.get('sum')({ terms: [{ id: 'nope' }] })).toThrow(/double-pi/);
  });
});

describe('prediction declarations', () => {
  it('built-in terms declare what the kernel predictors can do with them', () => {
    expect(labelFit().prediction).toEqual({ kind: 'quadratic', parts: [{ weight: 1, target: 'targets' }] });
    expect(labelFit({ loss: 'cross-entropy' }).prediction).toEqual({ kind: 'output-loss' });
    expect(quadraticPi({ alpha: 0.5 }).prediction).toEqual({ kind: 'quadratic', parts: [{ weight: 1, target: 'teacherLogits' }] });
    expect(quadraticPi({ lambda: 2, reduction: 'mean' }).prediction).toEqual({ kind: 'output-loss' });
  });
  it('combinators carry their children\'s declarations, weights multiplied in; a schedule has none', () => {
    const s = sum({ terms: [{ id: 'label-fit' }, { id: 'quadratic-pi', options: { lambda: 2 }, weight: 0.5 }] });
    expect(s.prediction).toEqual({ kind: 'quadratic', parts: [{ weight: 1, target: 'targets' }, { weight: 1, target: 'teacherLogits' }] });
    expect(weighted({ weight: 3, term: { id: 'hinton-kl' } }).prediction).toEqual({ kind: 'output-loss' });
    expect(sum({ terms: [{ id: 'label-fit' }, { id: 'feature-matching' }] }).prediction?.kind).toBe('none');
    expect(scheduled({ term: { id: 'label-fit' } }).prediction).toEqual({ kind: 'none', reason: 'a scheduled term\'s weight changes during training, and the kernel predictors integrate a fixed loss' });
  });
});
