import { describe, expect, it } from 'vitest';
import { fingerprintArrays, hashString } from './fingerprint.js';

describe('fingerprintArrays', () => {
  const x = new Float32Array([1, -1, -1, 1, 0.5, 2]);
  it('changes when any value, sign, length or the presence of an array changes', () => {
    const base = fingerprintArrays([x, undefined]);
    expect(fingerprintArrays([Float32Array.from(x), undefined])).toBe(base);
    expect(fingerprintArrays([x.map((v) => -v), undefined])).not.toBe(base); // an even number of sign flips
    expect(fingerprintArrays([x.map((v, i) => (i === 4 ? 0.5000001 : v)), undefined])).not.toBe(base);
    expect(fingerprintArrays([x.subarray(0, 5), undefined])).not.toBe(base);
    expect(fingerprintArrays([x])).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{8}$/);
  });
  it('hashString is the 8-hex-digit FNV-1a', () => {
    expect(hashString('')).toBe('811c9dc5');
  });
});
