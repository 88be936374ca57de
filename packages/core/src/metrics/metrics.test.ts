import { describe, expect, it } from 'vitest';
import { accuracy, distance, maxAbs, maxAbsDiff, meanSquaredError, predictedClass, squaredError } from './metrics.js';

describe('one tie rule for classes', () => {
  it('K = 1: +1 for u > 0, -1 for u <= 0 (an output of exactly 0 is class -1)', () => {
    expect([0.3, 0, -0, -2].map((_, i, u) => predictedClass(u, i, 1))).toEqual([1, -1, -1, -1]);
    // symmetric initialization: u = 0 everywhere, so the accuracy is the share of -1 labels
    expect(accuracy([0, 0, 0, 0], [1, -1, -1, 1], 1)).toBe(0.5);
    expect(accuracy([0.1, -0.2, 0, 5], [1, -1, -1, -1], 1)).toBe(0.75);
  });

  it('K > 1: argmax with ties to the lowest index, on outputs and targets alike', () => {
    const u = [0, 0, 0, /* row 1 */ 1, 3, 3, /* row 2 */ -1, -2, -0.5];
    expect([0, 1, 2].map((i) => predictedClass(u, i, 3))).toEqual([0, 1, 2]);
    const y = [1, 0, 0, /* */ 0, 0, 1, /* centered one-hot */ -0.5, -0.5, 1];
    expect(accuracy(u, y, 3)).toBeCloseTo(2 / 3, 15);
  });

  it('has no accuracy for regression targets, mismatched lengths or no rows', () => {
    expect(accuracy([1, 2], [0.5, 1], 1)).toBeUndefined();
    expect(accuracy([1, 2], [1], 1)).toBeUndefined();
    expect(accuracy([], [], 2)).toBeUndefined();
  });
});

describe('distances and losses', () => {
  it('match their closed forms', () => {
    expect(distance([3, 0], [0, 4])).toBe(5);
    expect(squaredError([1, 2], [0, 0])).toBe(2.5);
    expect(meanSquaredError([1, 2], [0, 0])).toBe(2.5);
    expect(meanSquaredError([], [])).toBe(0);
    expect(maxAbs([-3, 2])).toBe(3);
    expect(maxAbs([])).toBe(0);
    expect(maxAbsDiff([1, 5], [2, 2])).toBe(3);
    // float64 accumulation: float32 inputs give the exact float64 sum of squares
    expect(distance(new Float32Array([0.1, 0.2]), new Float32Array([0, 0]))).toBe(Math.hypot(Math.fround(0.1), Math.fround(0.2)));
  });
});
