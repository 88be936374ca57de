import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it('drops undefined object fields (as JSON.stringify does), so they equal absent ones', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ f: () => 1, s: Symbol('s'), a: 0 })).toBe('{"a":0}');
  });

  it('writes null for undefined in arrays, non-finite numbers and a top-level undefined', () => {
    expect(canonicalJson([1, undefined, Number.NaN, Infinity, () => 0])).toBe('[1,null,null,null,null]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: -Infinity })).toBe('{"a":null}');
  });

  it('agrees with JSON.stringify on plain JSON, honours toJSON, and writes typed arrays as arrays', () => {
    const plain = { z: 'x"y', a: [true, false, null, 1.5e-300, -0], m: { k: 'é' } };
    expect(canonicalJson(plain)).toBe(JSON.stringify({ a: plain.a, m: plain.m, z: plain.z }));
    expect(canonicalJson({ when: new Date(Date.UTC(2026, 0, 2)) })).toBe('{"when":"2026-01-02T00:00:00.000Z"}');
    expect(canonicalJson({ w: new Float32Array([0.5, -2]) })).toBe('{"w":[0.5,-2]}');
    expect(() => canonicalJson({ n: 1n })).toThrow('canonicalJson: a BigInt has no JSON form');
  });
});
