import { describe, expect, it } from 'vitest';
import { formatNumber, formatPercent } from './format.js';
import { NEAR_ZERO, explain, judge, judgeGrowing, judgeLess, judgeWithin, notApplicable } from './verdict.js';

describe('judge', () => {
  it('reports the relative gap and whether it is within tolerance', () => {
    const v = judge({ prediction: 'P4', claim: 'label error = alpha ||z - y||', measured: 1.02, predicted: 1, tolerance: 0.05, toleranceReason: 'test reason' });
    expect(v.gap).toBeCloseTo(0.02, 12);
    expect(v.holds).toBe(true);
    expect(v.words).toBe('P4 holds: measured 1.02 vs predicted 1, a gap of 2% relative (within the 5% tolerance).');
    const w = judge({ prediction: 'P5', claim: 'c', measured: 1.3, predicted: 1, tolerance: 0.05, toleranceReason: 'test reason' });
    expect(w.holds).toBe(false);
    expect(w.words).toContain('does not hold');
    expect(w.words).toContain('30% relative (above the 5% tolerance)');
  });
  it('judges against the problem\'s scale when given one, never dividing by a prediction near zero', () => {
    const v = judge({ prediction: 'P4', claim: 'c', measured: 0.097, predicted: 0.061, scale: { name: '||y||', value: 14.14 }, tolerance: 0.05, toleranceReason: 'triangle inequality' });
    expect(v).toMatchObject({ gapKind: 'scaled', holds: true, toleranceReason: 'triangle inequality', scale: { name: '||y||', value: 14.14 } });
    expect(v.gap).toBeCloseTo(0.036 / 14.14, 12);
    expect(v.words).toBe('P4 holds: measured 0.097 vs predicted 0.061, a gap of 0.25% of ||y|| = 14.14 (within the 5% tolerance).');
    const tiny = judge({ prediction: 'P4', claim: 'c', measured: 2e-7, predicted: 1e-7, tolerance: 0.1, toleranceReason: 'r' });
    expect(NEAR_ZERO).toBe(1e-6);
    expect(tiny.gapKind).toBe('absolute');
    expect(tiny.gap).toBeCloseTo(1e-7, 20);
    const spread = judge({ prediction: 'P7', claim: 'c', measured: 1.02, predicted: 1, tolerance: 0.05, toleranceReason: 'r', spread: 'mean of 3 seeds, sd 0.01' });
    expect(spread.words).toBe('P7 holds: measured 1.02 (mean of 3 seeds, sd 0.01) vs predicted 1, a gap of 2% relative (within the 5% tolerance).');
    expect(spread.spread).toBe('mean of 3 seeds, sd 0.01');
  });
  it('judgeWithin checks a range, judgeGrowing an ordering; explain keeps a reason only on failures', () => {
    expect(judgeWithin('P8', 'c', -0.45, [-0.75, -0.25], 'r').words).toBe('P8 holds: measured -0.45, inside [-0.75, -0.25].');
    expect(judgeWithin('P8', 'c', -0.1, [-0.75, -0.25], 'r').holds).toBe(false);
    expect(judgeWithin('P8', 'c', null, [-0.75, -0.25], 'r').holds).toBeNull();
    const up = judgeGrowing('E7', 'c', [{ name: 'm=256', value: 0.01 }, { name: 'm=64', value: null }, { name: 'm=16', value: 0.2 }]);
    expect(up.words).toBe('E7 holds: m=256 0.01, m=16 0.2.');
    const down = judgeGrowing('E7', 'c', [{ name: 'a', value: 0.3 }, { name: 'b', value: 0.2 }]);
    expect(down.holds).toBe(false);
    expect(explain(down, 'why').explanation).toBe('why');
    expect(explain(up, 'why').explanation).toBeUndefined();
    expect(judgeGrowing('E7', 'c', [{ name: 'a', value: 1 }]).holds).toBeNull();
  });
  it('falls back to the absolute gap against a zero prediction', () => {
    const v = judge({ prediction: 'P4', claim: 'c', measured: 0.001, predicted: 0, tolerance: 0.01, toleranceReason: 'test reason' });
    expect(v.gapKind).toBe('absolute');
    expect(v.gap).toBe(0.001);
    expect(v.holds).toBe(true);
  });
  it('says why a missing number cannot be checked', () => {
    const v = judge({ prediction: 'P6', claim: 'c', measured: null, predicted: 12, tolerance: 0.1, toleranceReason: 'test reason' });
    expect(v.holds).toBeNull();
    expect(v.words).toBe('P6 not checked: the measurement is not available (n/a measured, 12 predicted).');
  });
});

describe('judgeLess', () => {
  it('treats "never reached" as infinitely many', () => {
    expect(judgeLess('P6', 'c', { name: 'with teacher', value: 40 }, { name: 'without', value: 100 }, 'steps').words)
      .toBe('P6 holds: with teacher 40 steps vs without 100 steps (60% fewer).');
    expect(judgeLess('P6', 'c', { name: 'a', value: 5 }, { name: 'b', value: null }).holds).toBe(true);
    expect(judgeLess('P6', 'c', { name: 'a', value: null }, { name: 'b', value: 5 }).holds).toBe(false);
    expect(judgeLess('P6', 'c', { name: 'a', value: 9 }, { name: 'b', value: 5 }).holds).toBe(false);
  });
  it('notApplicable keeps the reason', () => {
    expect(notApplicable('P7', 'c', 'no test data').words).toBe('P7 not checked: no test data.');
  });
});

describe('formatNumber', () => {
  it('prints 4 significant digits, scientific outside [1e-3, 1e5)', () => {
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(12)).toBe('12');
    expect(formatNumber(1234567.8)).toBe('1.235e6');
    expect(formatNumber(0.00012346)).toBe('1.235e-4');
    expect(formatNumber(null)).toBe('n/a');
    expect(formatNumber(Infinity)).toBe('inf');
    expect(formatPercent(0.0123)).toBe('1.2%');
    expect(formatPercent(0.5)).toBe('50%');
  });
});
