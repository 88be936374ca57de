import { describe, expect, it } from 'vitest';
import { optionalBoolean, requireNumber, requireObject, requireOneOf, requireString } from './validate.js';

describe('field checkers', () => {
  it('describe the range they expect', () => {
    expect(requireNumber('a', 3, { min: 0 })).toBe(3);
    expect(() => requireNumber('a', 3, { max: 2, integer: true })).toThrow('Invalid option "a": got 3. Expected an integer <= 2.');
    expect(() => requireNumber('a', Number.NaN)).toThrow('Expected a finite number.');
    expect(() => requireNumber('a', 0, { min: 0, minExclusive: true })).toThrow('Expected a finite number > 0.');
    expect(() => requireObject('o', { x: 1 }, ['y'])).toThrow('Invalid option "o.x": got 1. Expected one of the known fields: y.');
    expect(() => requireObject('', { x: 1 }, ['y'])).toThrow('Invalid option "x"');
    expect(() => requireString('s', '')).toThrow('Expected a non-empty string.');
    expect(requireOneOf('k', 'b', ['a', 'b'])).toBe('b');
    expect(() => optionalBoolean('f', 'yes')).toThrow('Expected true or false.');
    expect(optionalBoolean('f', undefined)).toBeUndefined();
  });
});
