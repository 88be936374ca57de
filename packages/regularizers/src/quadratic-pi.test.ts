import { createCpuBackend } from '@pikt/backend-cpu';
import { InvalidOptionError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { labelFit } from './label-fit.js';
import { effectiveLambda, quadraticPi } from './quadratic-pi.js';
import { randomMatrix, scalar } from './test-helpers.js';

// Activated before the module-level tensors below are made.
await createCpuBackend().activate();

const u = randomMatrix(1, 5, 2);
const z = randomMatrix(2, 5, 2);
const y = randomMatrix(3, 5, 2);
const sq = (a: Float32Array, b: ArrayLike<number>) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);

describe('quadratic-pi', () => {
  it('is lambda/2 ||u - z||^2 (sum) and its batch mean', () => {
    expect(scalar(quadraticPi({ lambda: 3 }).compute({ studentLogits: u.t, teacherLogits: z.t }))).toBeCloseTo(1.5 * sq(u.v, z.v), 4);
    expect(scalar(quadraticPi({ lambda: 3, reduction: 'mean' }).compute({ studentLogits: u.t, teacherLogits: z.t }))).toBeCloseTo((1.5 * sq(u.v, z.v)) / 5, 5);
    expect(scalar(quadraticPi().compute({ studentLogits: u.t, teacherLogits: z.t }))).toBeCloseTo(0.5 * sq(u.v, z.v), 4);
  });
  it('takes alpha = lambda / (1 + lambda) instead of lambda', () => {
    expect(effectiveLambda({ alpha: 0.75 })).toBe(3);
    expect(effectiveLambda({ lambda: 0.5 })).toBe(0.5);
    expect(effectiveLambda({})).toBe(1);
    const byAlpha = scalar(quadraticPi({ alpha: 0.75 }).compute({ studentLogits: u.t, teacherLogits: z.t }));
    const byLambda = scalar(quadraticPi({ lambda: 3 }).compute({ studentLogits: u.t, teacherLogits: z.t }));
    expect(byAlpha).toBeCloseTo(byLambda, 5);
  });
  it('with the squared label fit equals (1+lambda)/2 ||u - ybar||^2 + lambda/(2(1+lambda)) ||y - z||^2 (SCIENCE.md section 2)', () => {
    const lambda = 2.5;
    const ybar = y.v.map((yi, i) => (yi + lambda * z.v[i]) / (1 + lambda));
    const closed = ((1 + lambda) / 2) * sq(u.v, ybar) + (lambda / (2 * (1 + lambda))) * sq(y.v, z.v);
    const value = scalar(labelFit().compute({ studentLogits: u.t, targets: y.t })) + scalar(quadraticPi({ lambda }).compute({ studentLogits: u.t, teacherLogits: z.t }));
    expect(value).toBeCloseTo(closed, 4);
  });
  it('names bad options', () => {
    expect(() => quadraticPi({ lambda: 1, alpha: 0.5 })).toThrow(/lambda or alpha, not both/);
    expect(() => quadraticPi({ lambda: -1 })).toThrow(InvalidOptionError);
    expect(() => quadraticPi({ alpha: 1 })).toThrow('Invalid option "quadratic-pi.alpha": got 1. Expected a finite number >= 0 and < 1.');
    expect(() => quadraticPi({ reduction: 'max' as never })).toThrow('Invalid option "quadratic-pi.reduction": got "max". Expected one of "sum", "mean".');
    expect(() => quadraticPi({ lambda: '1' as never })).toThrow('Invalid option "quadratic-pi.lambda": got "1". Expected a finite number >= 0.');
  });
});
