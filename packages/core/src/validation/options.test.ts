import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.js';
import {
  describeRange, inRange, optionalBoolean, optionalNumber, requireBoolean, requireFiniteArray, requireNumber, requireObject, requireOneOf,
  requirePositive, requirePositiveInt, requireString,
} from './options.js';

describe('option checks', () => {
  it('describe the range they expect', () => {
    expect(requireNumber('a', 3, { min: 0 })).toBe(3);
    expect(() => requireNumber('a', 3, { max: 2, integer: true })).toThrow('Invalid option "a": got 3. Expected an integer <= 2.');
    expect(() => requireNumber('a', Number.NaN)).toThrow('Expected a finite number.');
    expect(() => requireNumber('a', 0, { min: 0, minExclusive: true })).toThrow('Expected a finite number > 0.');
    expect(() => requireNumber('a', 1, { min: 0, max: 1, maxExclusive: true })).toThrow('Expected a finite number >= 0 and < 1.');
    expect(describeRange({ integer: true, min: 1, max: 1e9 })).toBe('an integer >= 1 and <= 1000000000');
    expect(inRange(2.5, { integer: true })).toBe(false);
    expect(inRange('2', {})).toBe(false);
    expect(optionalNumber('a', undefined, { min: 5 })).toBeUndefined();
    expect(() => requireObject('o', { x: 1 }, ['y'])).toThrow('Invalid option "o.x": got 1. Expected one of the known fields: y.');
    expect(() => requireObject('', { x: 1 }, ['y'])).toThrow('Invalid option "x"');
    expect(() => requireObject('o', [1], ['y'])).toThrow('Invalid option "o": got [1]. Expected an object.');
    expect(() => requireString('s', '')).toThrow('Expected a non-empty string.');
    expect(requireOneOf('k', 'b', ['a', 'b'])).toBe('b');
    expect(() => requireOneOf('k', 'c', ['a', 'b'])).toThrow('Invalid option "k": got "c". Expected one of "a", "b".');
    expect(() => optionalBoolean('f', 'yes')).toThrow('Expected true or false.');
    expect(optionalBoolean('f', undefined)).toBeUndefined();
    expect(requireBoolean('f', false)).toBe(false);
  });

  it('name the owner of the option', () => {
    expect(() => requirePositive('delta', -1, 'regularizer "kl"'))
      .toThrow('Invalid option "delta" of regularizer "kl": must be a finite number > 0 (got -1). Change "delta" in the options of regularizer "kl".');
    expect(() => requirePositiveInt('width', 0, 2, 'model "wide-student"'))
      .toThrow('Invalid option "width" of model "wide-student": must be an integer >= 2 (got 0).');
    try {
      requireOneOf('mode', 'x', ['a'], 'transform "pca"');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ code: 'PIKT_INVALID_OPTION', field: 'mode', found: 'x', expected: 'must be one of "a"' });
      expect((e as Error).message).toBe('Invalid option "mode" of transform "pca": must be one of "a" (got "x"). Change "mode" in the options of transform "pca".');
    }
  });

  it('check arrays element by element and by length', () => {
    expect(Array.from(requireFiniteArray('w', [1, 2], 2))).toEqual([1, 2]);
    expect(() => requireFiniteArray('w', [1, 2, 3], 2, 'one per class')).toThrow('Invalid option "w.length": got 3. Expected 2 (one per class).');
    expect(() => requireFiniteArray('w', [1, Number.NaN])).toThrow('Invalid option "w[1]": got NaN. Expected a finite number.');
    expect(() => requireFiniteArray('w', 'abc')).toThrow('Expected an array of finite numbers.');
  });
});
