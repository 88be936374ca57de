import { describe, expect, it } from 'vitest';
import { formatTick, linearTicks, logTicks } from './ticks.js';

describe('linearTicks', () => {
  it('picks 1-2-5 steps and widens the domain to whole steps', () => {
    expect(linearTicks(0, 1)).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], log: false });
    expect(linearTicks(3, 97).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(linearTicks(-0.013, 0.021).ticks).toEqual([-0.02, -0.01, 0, 0.01, 0.02, 0.03]);
  });
  it('has no accumulated float error in tick values', () => {
    const t = linearTicks(0.1, 0.7, 6);
    expect(t.ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });
  it('widens a degenerate range around the value', () => {
    expect(linearTicks(5, 5).domain[0]).toBeLessThan(5);
    expect(linearTicks(5, 5).domain[1]).toBeGreaterThan(5);
    expect(linearTicks(0, 0).domain).toEqual([-1, 1]);
  });
});

describe('logTicks', () => {
  it('covers whole decades', () => {
    expect(logTicks(3e-4, 0.5)).toEqual({ domain: [1e-4, 1], ticks: [1e-4, 1e-3, 1e-2, 1e-1, 1], log: true });
  });
  it('adds 2x and 5x within one or two decades', () => {
    expect(logTicks(2, 30).ticks).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });
  it('keeps every other decade past 8 decades and still covers the range', () => {
    const t = logTicks(1e-12, 3);
    expect(t.ticks).toEqual([1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1]
      .concat(t.domain[1] > 1 ? [100] : []));
    expect(t.domain[1]).toBeGreaterThanOrEqual(3);
  });
});

describe('formatTick', () => {
  it('prints short deterministic labels', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.2, 0.2)).toBe('0.2');
    expect(formatTick(0.015, 0.005)).toBe('0.015');
    expect(formatTick(100, 20)).toBe('100');
    expect(formatTick(1e-4)).toBe('1e-4');
    expect(formatTick(2.5e6)).toBe('2.5e6');
    expect(formatTick(2.5, 2.5)).toBe('2.5');
  });
});
