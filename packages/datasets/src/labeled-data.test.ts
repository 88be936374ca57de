import { NonFiniteError, ShapeMismatchError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { checkLabeledData, gatherRows, selectRows, type LabeledData } from './labeled-data.js';

const data = (): LabeledData => ({
  n: 3, d: 2, x: Float32Array.from([1, 2, 3, 4, 5, 6]), k: 1, targets: Float32Array.from([-1, 1, 1]),
  classIds: Int32Array.from([0, 1, 1]), pi: Float32Array.from([10, 20, 30]), piDim: 1, index: Int32Array.from([7, 8, 9]),
  classNames: ['a', 'b'],
});

describe('LabeledData helpers', () => {
  it('selectRows gathers every per-sample field in the given order', () => {
    const s = selectRows(data(), [2, 0]);
    expect(Array.from(s.x)).toEqual([5, 6, 1, 2]);
    expect(Array.from(s.targets)).toEqual([1, -1]);
    expect(Array.from(s.classIds!)).toEqual([1, 0]);
    expect(Array.from(s.pi!)).toEqual([30, 10]);
    expect(Array.from(s.index!)).toEqual([9, 7]);
    expect(s.n).toBe(2);
    expect(gatherRows(Float64Array.from([1, 2, 3, 4]), 2, [1])).toEqual(Float64Array.from([3, 4]));
  });

  it('checkLabeledData accepts consistent data and names the inconsistent field', () => {
    expect(() => checkLabeledData(data())).not.toThrow();
    expect(() => checkLabeledData({ ...data(), targets: new Float32Array(2) }, 'train')).toThrow(ShapeMismatchError);
    expect(() => checkLabeledData({ ...data(), targets: new Float32Array(2) }, 'train')).toThrow(/train\.targets: expected \[3\], found \[2\]/);
    expect(() => checkLabeledData({ ...data(), piDim: 2 })).toThrow(/data\.pi \(piDim 2\)/);
    expect(() => checkLabeledData({ ...data(), classIds: new Int32Array(1) })).toThrow(/data\.classIds/);
    expect(() => checkLabeledData({ ...data(), x: Float32Array.from([1, 2, 3, NaN, 5, 6]) })).toThrow(NonFiniteError);
    expect(() => checkLabeledData({ ...data(), x: Float32Array.from([1, 2, 3, NaN, 5, 6]) })).toThrow(/data\.x contains NaN at index 3/);
  });
});
