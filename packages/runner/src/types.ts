import type { JsonObject } from '@pikt/core';

/** One run to execute: its spec (plain JSON) and the spec's fingerprint. */
export interface RunJob<S extends JsonObject = JsonObject> {
  fingerprint: string;
  spec: S;
}

/** Why a run failed: the error's message and, for a PiktError, its code. */
export interface RunFailure {
  message: string;
  code?: string;
}

/** What became of a run: its result (plain JSON), or its failure (recorded, never fatal to the others). */
export type RunOutcome<R extends JsonObject = JsonObject> =
  | { fingerprint: string; status: 'done'; result: R }
  | { fingerprint: string; status: 'failed'; error: RunFailure };

/**
 * Executes one spec where the executor runs it (a thread, a queue worker). Returns undefined when
 * stopped by the signal; a throw is the run's failure.
 */
export type RunHandler = (spec: JsonObject, signal: AbortSignal) => Promise<JsonObject | undefined>;

/** Progress an executor reports while it works. */
export type RunEvent =
  | { type: 'started'; fingerprint: string; where?: string }
  | { type: 'retrying'; fingerprint: string; attempt: number; reason: string }
  | { type: 'log'; line: string };

export interface OutcomeSink {
  /** Called once per run whose outcome is final; awaited before the executor reports the next. */
  outcome(outcome: RunOutcome): void | Promise<void>;
  event?(event: RunEvent): void;
}

/**
 * Where runs execute: in this thread, on a pool of worker threads, or on BullMQ workers over Redis.
 * Every executor delivers each job's final outcome once; results do not depend on the executor or
 * on the order of completion (a run's numbers depend on its spec alone).
 */
export interface RunExecutorV1 {
  readonly kind: 'inline' | 'threads' | 'queue';
  /** Execute the jobs; resolves when every job has an outcome or when the signal stopped it (aborted). */
  execute(jobs: readonly RunJob[], sink: OutcomeSink, signal: AbortSignal): Promise<{ aborted: boolean }>;
  /** Release threads and connections. */
  close(): Promise<void>;
}

/** A failure from anything thrown. */
export function failureOf(err: unknown): RunFailure {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { message: err.message.split('\n')[0], ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(err) };
}
