import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalSpec, fingerprint } from './fingerprint.js';

describe('fingerprint', () => {
  it('is SHA-256 of the canonical JSON (keys sorted at every level), whatever the key order', () => {
    const a = { seed: 1, model: { id: 'm', options: { width: 8, kappa: 1 } }, terms: [{ id: 'b' }, { id: 'a' }] };
    const b = { terms: [{ id: 'b' }, { id: 'a' }], model: { options: { kappa: 1, width: 8 }, id: 'm' }, seed: 1 };
    const canonical = '{"model":{"id":"m","options":{"kappa":1,"width":8}},"seed":1,"terms":[{"id":"b"},{"id":"a"}]}';
    expect(canonicalSpec(a)).toBe(canonical);
    expect(fingerprint(a)).toBe(createHash('sha256').update(canonical).digest('hex').slice(0, 24));
    expect(fingerprint(b)).toBe(fingerprint(a));
    expect(fingerprint({ ...a, seed: 2 })).not.toBe(fingerprint(a));
    // Array order is part of the identity (terms in another order are another objective's history).
    expect(fingerprint({ ...a, terms: [{ id: 'a' }, { id: 'b' }] })).not.toBe(fingerprint(a));
  });

  it('rejects what does not survive JSON, naming the field', () => {
    expect(() => canonicalSpec({ a: { b: undefined } })).toThrow('Invalid option "spec.a.b": got undefined. Expected plain JSON (a run spec holds no undefined, functions, typed arrays or class instances).');
    expect(() => canonicalSpec({ x: [1, Number.NaN] })).toThrow(/"spec\.x\[1\]".*Expected a finite number \(a run spec is plain JSON\)\./);
    expect(() => canonicalSpec({ x: new Float64Array(2) })).toThrow(/"spec\.x".*plain JSON/);
  });
});
