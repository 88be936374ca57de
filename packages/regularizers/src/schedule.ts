import { InvalidOptionError, requireNumber, requireOneOf, type TrainingClock } from '@pikt/core';

/** A weight schedule over training time (the JSON fields of the 'scheduled' combinator). */
export type ScheduleOptions = {
  kind: 'linear' | 'cosine' | 'step';
  /** Weight at `start` (linear, cosine). */
  from: number;
  /** Weight from `end` on (linear, cosine). */
  to: number;
  /** Position (in `unit`s) where the ramp begins. */
  start: number;
  /** Position where the ramp ends; null = the clock's totalSteps (unit 'step' only). */
  end: number | null;
  unit: 'step' | 'epoch';
  /** kind 'step': increasing positions where the weight changes ... */
  boundaries: number[];
  /** ... and the weights before, between and after them (boundaries.length + 1 values). */
  values: number[];
};

export const SCHEDULE_DEFAULTS: Readonly<ScheduleOptions> = Object.freeze({
  kind: 'linear', from: 0, to: 1, start: 0, end: null, unit: 'step', boundaries: [], values: [],
});

/**
 * The weight at `clock`, with pos = clock.step (or clock.epoch) and t = clamp((pos - start) / (end - start), 0, 1):
 *
 *   linear:  w = from + (to - from) * t
 *   cosine:  w = to + (from - to) * (1 + cos(pi t)) / 2          (from at t = 0, to at t = 1, flat ends)
 *   step:    w = values[j], j = #{ boundaries <= pos }
 */
export function scheduleWeight(o: ScheduleOptions, clock: TrainingClock): number {
  const pos = o.unit === 'epoch' ? clock.epoch : clock.step;
  if (o.kind === 'step') {
    let j = 0;
    while (j < o.boundaries.length && o.boundaries[j] <= pos) j += 1;
    return o.values[j];
  }
  const end = o.end ?? clock.totalSteps;
  if (end === undefined) {
    throw new InvalidOptionError('scheduled.end', null, 'a number: the training clock has no totalSteps, so the schedule needs an explicit end');
  }
  const t = end > o.start ? Math.min(1, Math.max(0, (pos - o.start) / (end - o.start))) : (pos >= end ? 1 : 0);
  return o.kind === 'linear' ? o.from + (o.to - o.from) * t : o.to + ((o.from - o.to) * (1 + Math.cos(Math.PI * t))) / 2;
}

/** Range checks of a schedule; the error names the field, prefixed by `owner`. */
export function validateSchedule(owner: string, o: ScheduleOptions): void {
  const bad = (field: string, value: unknown, expected: string) => new InvalidOptionError(`${owner}.${field}`, value, expected);
  requireOneOf(`${owner}.kind`, o.kind, ['linear', 'cosine', 'step']);
  requireOneOf(`${owner}.unit`, o.unit, ['step', 'epoch']);
  requireNumber(`${owner}.start`, o.start, { min: 0 });
  if (o.end !== null && !(typeof o.end === 'number' && o.end > o.start)) throw bad('end', o.end, `null or a number > start (${o.start})`);
  if (o.kind === 'step') {
    if (!o.boundaries.every((b, i) => typeof b === 'number' && Number.isFinite(b) && (i === 0 || b > o.boundaries[i - 1]))) {
      throw bad('boundaries', o.boundaries, 'strictly increasing finite numbers');
    }
    if (o.values.length !== o.boundaries.length + 1 || !o.values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw bad('values', o.values, `${o.boundaries.length + 1} finite numbers (one more than boundaries)`);
    }
  } else {
    if (o.boundaries.length > 0 || o.values.length > 0) throw bad(o.boundaries.length > 0 ? 'boundaries' : 'values', o.boundaries.length > 0 ? o.boundaries : o.values, `[] (boundaries and values are for kind "step", not "${o.kind}")`);
    if (o.unit === 'epoch' && o.end === null) throw bad('end', null, "a number when unit is 'epoch' (totalSteps counts steps)");
  }
}
