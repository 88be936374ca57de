import { InvalidOptionError } from '@pikt/core';
import { connectRedis, createInlineExecutor, createQueueExecutor, createThreadPool, defaultWorkers, parseRedisUrl } from '@pikt/runner';
import type { RedisTarget, RunExecutorV1 } from '@pikt/runner';
import { UsageError } from '../args.js';
import type { FlagSpecs, ParsedFlags } from '../args.js';
import type { BackendChoice } from '../backends.js';
import { studentRunHandler } from './run-handler.js';

/** Built JavaScript of the scheduler's thread entry and queue processor (the same path from src/ and dist/). */
export const THREAD_ENTRY = new URL('../../dist/scheduler/thread-entry.js', import.meta.url);
export const QUEUE_PROCESSOR = new URL('../../dist/scheduler/queue-processor.js', import.meta.url);

export const SCHEDULER_FLAGS: FlagSpecs = {
  workers: { type: 'string', value: 'N', description: 'runs in parallel on this machine: worker threads, one backend each (default: every core)' },
  queue: { type: 'string', value: 'URL', description: 'run on BullMQ workers through Redis at redis://host:port instead (start them with pikt worker)' },
};

/** An integer flag >= 1 given as text (`fallback` when absent), else a usage error with `hint`. */
export function positiveIntFlag(name: string, text: unknown, fallback: number, hint: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(String(text).trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be an integer >= 1; got ${String(text)}.`, hint);
  return n;
}

/** --workers: a positive integer (default: the number of cores). */
export function workersFlag(flags: ParsedFlags): number {
  return positiveIntFlag('workers', flags.workers, defaultWorkers(), 'Pass how many runs may execute at once, e.g. --workers 2.');
}

/** --queue: a redis:// URL, else a usage error. */
export function queueFlag(flags: ParsedFlags, name = 'queue'): RedisTarget | undefined {
  const text = flags[name] as string | undefined;
  if (text === undefined) return undefined;
  try {
    return parseRedisUrl(text, `--${name}`);
  } catch (err) {
    if (err instanceof InvalidOptionError) throw new UsageError(`--${name} got "${text}", not a Redis URL.`, 'Pass redis://host:port, e.g. --queue redis://127.0.0.1:6379.');
    throw err;
  }
}

/**
 * The executor the flags ask for: BullMQ workers through Redis (--queue), a pool of N worker
 * threads (--workers N > 1, default every core), or this thread (--workers 1).
 */
export async function executorFromFlags(flags: ParsedFlags, backend: BackendChoice): Promise<{ executor: RunExecutorV1; words: string }> {
  const target = queueFlag(flags);
  if (target && flags.workers !== undefined) throw new UsageError('--workers and --queue contradict each other.', 'With --queue, set the parallelism on the workers: pikt worker --concurrency N.');
  if (target) {
    // Unreachable is an error before anything is printed or written.
    (await connectRedis(target)).disconnect();
    return { executor: createQueueExecutor({ target }), words: `BullMQ workers via ${target.url}` };
  }
  const n = workersFlag(flags);
  if (n === 1) {
    let handler: ReturnType<typeof studentRunHandler> | undefined;
    return { executor: createInlineExecutor(async (spec, signal) => (await (handler ??= studentRunHandler(backend)))(spec, signal)), words: '1 worker (this thread)' };
  }
  return { executor: createThreadPool({ entry: THREAD_ENTRY, size: n, workerData: { backend } }), words: `${n} worker threads` };
}
