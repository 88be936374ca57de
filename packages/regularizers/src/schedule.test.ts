import { describe, expect, it } from 'vitest';
import { SCHEDULE_DEFAULTS, scheduleWeight, validateSchedule, type ScheduleOptions } from './schedule.js';

const s = (o: Partial<ScheduleOptions>): ScheduleOptions => ({ ...SCHEDULE_DEFAULTS, boundaries: [], values: [], ...o });
const at = (step: number, epoch = 0, totalSteps?: number) => ({ step, epoch, ...(totalSteps ? { totalSteps } : {}) });

describe('scheduleWeight', () => {
  it('linear ramps from -> to between start and end, flat outside', () => {
    const o = s({ kind: 'linear', from: 2, to: 0, start: 10, end: 20 });
    expect([0, 10, 15, 20, 99].map((k) => scheduleWeight(o, at(k)))).toEqual([2, 2, 1, 0, 0]);
  });
  it('cosine follows to + (from - to)(1 + cos(pi t))/2', () => {
    const o = s({ kind: 'cosine', from: 1, to: 0.2, start: 0, end: 8 });
    for (const k of [0, 2, 4, 6, 8]) expect(scheduleWeight(o, at(k))).toBeCloseTo(0.2 + 0.8 * (1 + Math.cos((Math.PI * k) / 8)) / 2, 12);
  });
  it('step picks values[#boundaries <= pos], by epoch when asked', () => {
    const o = s({ kind: 'step', boundaries: [2, 5], values: [1, 0.5, 0.1], unit: 'epoch' });
    expect([0, 1, 2, 4, 5, 9].map((e) => scheduleWeight(o, at(1000, e)))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
  });
  it('end = null means the clock totalSteps, and says so when the clock has none', () => {
    const o = s({ kind: 'linear', from: 0, to: 1, end: null });
    expect(scheduleWeight(o, at(25, 0, 100))).toBe(0.25);
    expect(() => scheduleWeight(o, at(25))).toThrow(/scheduled.end.*no totalSteps/);
  });
});

describe('validateSchedule', () => {
  it('names the field and the allowed values', () => {
    expect(() => validateSchedule('scheduled', s({ kind: 'exp' as never }))).toThrow(/scheduled.kind.*"linear", "cosine", "step"/);
    expect(() => validateSchedule('scheduled', s({ start: 5, end: 3 }))).toThrow(/scheduled.end.*> start \(5\)/);
    expect(() => validateSchedule('scheduled', s({ kind: 'step', boundaries: [3, 1], values: [1, 2, 3] }))).toThrow(/boundaries.*strictly increasing/);
    expect(() => validateSchedule('scheduled', s({ kind: 'step', boundaries: [3], values: [1] }))).toThrow(/values.*2 finite numbers/);
    expect(() => validateSchedule('scheduled', s({ boundaries: [3] }))).toThrow(/boundaries and values are for kind "step"/);
    expect(() => validateSchedule('scheduled', s({ unit: 'epoch' }))).toThrow(/end.*unit is 'epoch'/);
  });
});
