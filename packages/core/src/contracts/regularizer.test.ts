import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.js';
import { defineRegularizer, resolveOptions } from './regularizer.js';

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
    const factory = defineRegularizer({ id: 'w', needs: ['labels'], defaults: { weight: 1 }, validate: (o) => (o.weight >= 0 ? undefined : 'weight >= 0'), compute: noopCompute });
    expect(() => factory({ weight: -1 })).toThrow(InvalidOptionError);
    expect(() => factory({ weight: -1 })).toThrow('Invalid option "w": got {"weight":-1}. Expected options that pass w\'s validate(): weight >= 0.');
    expect(factory({ weight: 2 }).toJSON()).toEqual({ id: 'w', options: { weight: 2 } });
    expect(factory.defaults).toEqual({ weight: 1 });
  });
  it('rejects undeclared needs at definition time', () => {
    expect(() => defineRegularizer({ id: 'bad', needs: ['teacherLogit' as never], defaults: {}, compute: noopCompute })).toThrow(/bad.needs/);
  });
});
