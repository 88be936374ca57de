import { describe, expect, it } from 'vitest';
import { assertFiniteResult, duplicateRows, gramConditionWarning, nonFinitePaths } from './numeric-checks.js';

describe('numeric checks', () => {
  it('names every non-finite number by its JSON path, in arrays, typed arrays and objects', () => {
    expect(nonFinitePaths({ a: 1, b: [0, NaN, { c: Infinity }], t: Float64Array.of(1, -Infinity), s: 'NaN', n: null })).toEqual(['b[1]', 'b[2].c', 't[1]']);
    expect(() => assertFiniteResult('analyze', { capacity: Infinity }, 'Rescale.')).toThrow('pikt analyze computed non-finite numbers: capacity. Rescale.');
  });

  it('finds bit-identical rows and says which', () => {
    const x = Float64Array.of(1, 2, 3, 4, 1, 2, 3, 4.0000001, 3, 4);
    expect(duplicateRows(x, 5, 2)).toEqual({ count: 2, first: [0, 2] });
    expect(duplicateRows(Float64Array.of(1, 2, 3, 4), 2, 2)).toEqual({ count: 0 });
  });

  it('warns above a condition estimate of 1e10 or with duplicates, never for a well-conditioned Gram', () => {
    expect(gramConditionWarning([2, 1, 0.5], 0, { count: 0 })).toBeUndefined();
    expect(gramConditionWarning([1, 1e-11], 1e-14, { count: 0 })).toMatch(/condition estimate mu_max \/ mu_min is 1\.00e\+11 \(above 1e\+10\).*jitter 1\.000e-14/);
    expect(gramConditionWarning([1, 0], 1e-14, { count: 0 })).toMatch(/mu_min is infinite/);
  });
});
