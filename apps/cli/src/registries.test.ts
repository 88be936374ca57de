import { UnknownPluginError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { createCliRegistries } from './registries.js';

describe('the CLI registries', () => {
  it('hold the built-in terms and the combinators, whose children resolve through the same registry', () => {
    const { regularizers } = createCliRegistries();
    expect(regularizers.ids()).toEqual(['feature-matching', 'hinton-kl', 'label-fit', 'quadratic-pi', 'scheduled', 'sum', 'weighted']);
    const term = regularizers.get('sum')({ terms: [{ id: 'label-fit', options: {} }, { id: 'hinton-kl', options: { temperature: 2 } }] });
    expect(term.id).toBe('sum');
    expect([...term.needs].sort()).toEqual(['targets', 'teacherLogits']);
  });

  it('an unknown id, top level or inside a combinator, lists the known ones', () => {
    const { regularizers, models } = createCliRegistries();
    expect(() => regularizers.get('kl')).toThrow(UnknownPluginError);
    expect(() => models.get('wide')).toThrow('Unknown model "wide". Known models: cnn-teacher, mlp-teacher, wide-student.');
    expect(() => regularizers.get('sum')({ terms: [{ id: 'label-fitt' }] }))
      .toThrow('Invalid option "sum.terms[0].id": got "label-fitt". Expected a registered regularizer id (feature-matching, hinton-kl, label-fit, quadratic-pi, scheduled, sum, weighted).');
  });
});
