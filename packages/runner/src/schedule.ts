import type { JsonObject } from '@pikt/core';
import { fingerprint } from './fingerprint.js';
import type { RunEvent, RunExecutorV1, RunJob, RunOutcome } from './types.js';

export interface ScheduleOptions {
  executor: RunExecutorV1;
  /** Outcomes already known (a resumed results file, a results store): these runs are not executed. */
  known?: (fingerprint: string) => boolean;
  /** Every new final outcome, as it arrives (store it at once so a kill keeps it). */
  onOutcome?: (outcome: RunOutcome) => void | Promise<void>;
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
}

export interface ScheduleResult {
  /** New outcomes by fingerprint. */
  outcomes: Map<string, RunOutcome>;
  /** Fingerprints skipped because `known` had them. */
  skipped: string[];
  aborted: boolean;
}

/** Jobs for specs, one per distinct fingerprint, in first-seen order. */
export function jobsFor(specs: readonly JsonObject[]): RunJob[] {
  const seen = new Map<string, RunJob>();
  for (const spec of specs) {
    const fp = fingerprint(spec);
    if (!seen.has(fp)) seen.set(fp, { fingerprint: fp, spec });
  }
  return [...seen.values()];
}

/**
 * Run every distinct spec once (a spec's fingerprint is its identity: equal specs are one run),
 * skipping the known ones, and collect the outcomes by fingerprint. A failed run is an outcome like
 * any other; the rest go on.
 */
export async function scheduleRuns(specs: readonly JsonObject[], options: ScheduleOptions): Promise<ScheduleResult> {
  const all = jobsFor(specs);
  const skipped = all.filter((j) => options.known?.(j.fingerprint)).map((j) => j.fingerprint);
  const todo = all.filter((j) => !skipped.includes(j.fingerprint));
  const outcomes = new Map<string, RunOutcome>();
  const signal = options.signal ?? new AbortController().signal;
  if (todo.length === 0) return { outcomes, skipped, aborted: false };
  const { aborted } = await options.executor.execute(todo, {
    async outcome(o) {
      if (outcomes.has(o.fingerprint)) return; // at-least-once delivery: a duplicate is a no-op
      outcomes.set(o.fingerprint, o);
      await options.onOutcome?.(o);
    },
    event: options.onEvent,
  }, signal);
  return { outcomes, skipped, aborted };
}
