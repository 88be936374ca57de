import { describe, expect, it } from 'vitest';
import { testMetrics } from './test-metrics.js';

describe('testMetrics', () => {
  it('K = 1: sign agreement, 1/2 sum of squares and MSE', () => {
    const m = testMetrics([0.5, -2, 0.1, -0.3], [1, -1, -1, 1], 1);
    expect(m.accuracy).toBe(0.5);
    expect(m.loss).toBeCloseTo(0.5 * (0.25 + 1 + 1.21 + 1.69), 14);
    expect(m.mse).toBeCloseTo((0.25 + 1 + 1.21 + 1.69) / 4, 14);
  });

  it('K > 1: argmax agreement with one-hot or centered labels', () => {
    const pred = [0.1, 0.7, 0.2, /**/ 0.5, 0.4, 0.1, /**/ 0, 0, 1];
    const labels = [0, 1, 0, /**/ 0, 1, 0, /**/ -0.5, -0.5, 1];
    expect(testMetrics(pred, labels, 3).accuracy).toBeCloseTo(2 / 3, 15);
    expect(() => testMetrics([1, 2], [1], 1)).toThrow(/Shape mismatch/);
  });
});
