import { ShapeMismatchError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import type { LabeledData } from '../labeled-data.js';
import { applyToData, fitTransform, makeTransform, NotFittedError } from './transform.js';

/** Subtracts the training column sums' mean: state = mean of all training entries. */
const shift = () => makeTransform('shift', {}, {
  fit: ({ x }) => Array.from(x).reduce((s, v) => s + v, 0) / x.length,
  apply: (mean, { x, d }) => ({ x: Float64Array.from(x, (v) => v - mean), d }),
});

const data = (values: number[]): LabeledData => ({ n: values.length / 2, d: 2, x: Float32Array.from(values), k: 1, targets: new Float32Array(values.length / 2) });

describe('makeTransform', () => {
  it('refuses apply before fit, and inputs of another dimension after', () => {
    const t = shift();
    expect(t.fitted).toBe(false);
    expect(() => t.apply({ x: new Float64Array(2), n: 1, d: 2 })).toThrow(NotFittedError);
    expect(() => t.apply({ x: new Float64Array(2), n: 1, d: 2 })).toThrow(/Transform "shift" was applied before fit\. Call fit\(train\)/);
    t.fit({ x: Float64Array.from([1, 3]), n: 1, d: 2 });
    expect(t.fitted).toBe(true);
    expect(() => t.apply({ x: new Float64Array(3), n: 1, d: 3 })).toThrow(ShapeMismatchError);
    expect(() => t.apply({ x: new Float64Array(3), n: 2, d: 2 })).toThrow(/x\.length = 3/);
    expect(() => t.fit({ x: Float64Array.from([1, NaN]), n: 1, d: 2 })).toThrow(/contains NaN/);
  });

  it('keeps the array type: float64 in, float64 out; float32 in, float32 out', () => {
    const t = shift().fit({ x: Float64Array.from([1, 3]), n: 1, d: 2 });
    expect(t.apply({ x: Float64Array.from([2, 2]), n: 1, d: 2 }).x).toEqual(Float64Array.from([0, 0]));
    expect(t.apply({ x: Float32Array.from([2, 2]), n: 1, d: 2 }).x).toBeInstanceOf(Float32Array);
    expect(t.toJSON()).toEqual({ id: 'shift', options: {} });
  });
});

describe('fitTransform', () => {
  it('fits on the training inputs only: the test inputs never change the fitted state', () => {
    const train = data([1, 3, 5, 7]);
    const a = fitTransform(shift(), { train, test: data([100, 200]) });
    const b = fitTransform(shift(), { train, test: data([-5, 9]) });
    expect(Array.from(a.train.x)).toEqual([-3, -1, 1, 3]);
    expect(Array.from(b.train.x)).toEqual([-3, -1, 1, 3]);
    expect(Array.from(a.test.x)).toEqual([96, 196]); // shifted by the *training* mean 4
    expect(a.test.targets).toBe(a.test.targets);
  });

  it('applyToData replaces inputs and keeps targets, labels and PI', () => {
    const t = shift().fit({ x: Float32Array.from([0, 2]), n: 1, d: 2 });
    const d0 = { ...data([1, 1]), classIds: Int32Array.from([1]), pi: Float32Array.from([9]), piDim: 1 };
    const out = applyToData(t, d0);
    expect(Array.from(out.x)).toEqual([0, 0]);
    expect(out.classIds).toBe(d0.classIds);
    expect(out.pi).toBe(d0.pi);
  });
});
