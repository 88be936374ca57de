import { describe, expect, it } from 'vitest';
import { compareChecks, median } from './stats.js';

describe('median', () => {
  it('middle value, mean of the middle two, NaN for none; input untouched', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe('compareChecks', () => {
  it('relative error per key, the worst one reported', () => {
    const a = compareChecks('numpy', { loss: 1.0001, sum: 10 }, { loss: 1, sum: 10 }, { loss: { rel: 1e-3 }, sum: { rel: 1e-9 } });
    expect(a.agrees).toBe(true);
    expect(a.worstKey).toBe('loss');
    expect(a.worstError).toBeCloseTo(1e-4, 12);
  });

  it('fails past the tolerance, judging arrays by max |difference| over max |peer|', () => {
    const a = compareChecks('torch', { s: [1, 2, 4.01] }, { s: [1, 2, 4] }, { s: { rel: 1e-3 } });
    expect(a).toEqual({ peer: 'torch', agrees: false, worstKey: 's', worstError: expect.closeTo(0.01 / 4, 12) });
  });

  it('a floor keeps near-zero values from counting as large relative errors; rel 0 means exact', () => {
    expect(compareChecks('torch', { l: 1.07e-8 }, { l: 1.06e-8 }, { l: { rel: 1e-3, floor: 1e-3 } }).agrees).toBe(true);
    expect(compareChecks('torch', { l: 1.07e-8 }, { l: 1.06e-8 }, { l: { rel: 1e-3 } }).agrees).toBe(false);
    expect(compareChecks('numpy', { k: 12529 }, { k: 12529 }, { k: { rel: 0, floor: 1 } })).toEqual({ peer: 'numpy', agrees: true, worstKey: 'k', worstError: 0 });
    expect(compareChecks('numpy', { k: 12530 }, { k: 12529 }, { k: { rel: 0, floor: 1 } }).agrees).toBe(false);
  });

  it('a missing, mismatched or non-finite value does not agree, and says why', () => {
    expect(compareChecks('numpy', {}, { x: 1 }, { x: { rel: 1 } })).toEqual({ peer: 'numpy', agrees: false, worstKey: 'x', problem: '"x": pikt has 0 value(s), numpy 1' });
    expect(compareChecks('numpy', { x: null }, { x: 1 }, { x: { rel: 1 } }).problem).toBe('"x": pikt has 0 value(s), numpy 1');
    expect(compareChecks('numpy', { x: NaN }, { x: 1 }, { x: { rel: 1 } })).toEqual({ peer: 'numpy', agrees: false, worstKey: 'x', problem: '"x" is not finite' });
    expect(compareChecks('numpy', { x: 1 }, { x: 1 }, {})).toEqual({ peer: 'numpy', agrees: true });
  });
});
