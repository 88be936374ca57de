import type { JsonObject } from '@pikt/core';
import type { Redis } from 'ioredis';
import type { RunHandler } from '../types.js';
import { failureOf } from '../types.js';
import { connectRedis, resultKeys } from './keys.js';
import { parseRedisUrl } from './redis-url.js';
import type { RunJobData } from './queue-executor.js';

/** The environment variable through which a queue worker tells its sandboxed processors where Redis is. */
export const QUEUE_URL_ENV = 'PIKT_QUEUE_URL';

/** What a sandboxed processor sees of a BullMQ job. */
export interface ProcessorJob {
  id?: string;
  data: RunJobData;
  attemptsMade: number;
  opts: { attempts?: number };
}

/**
 * The default export of a sandboxed processor file (run by BullMQ in a worker thread, so a
 * CPU-heavy run never blocks the worker's lock renewal). Builds the handler once per thread, then
 * per job: skips a run whose result is stored already (delivery is at-least-once), executes it,
 * stores its result with HSETNX (a duplicate is a no-op) and returns only a reference. A failure on
 * the last attempt is stored as the run's final failure; earlier ones are retried by BullMQ.
 */
export function createQueueProcessor(setup: () => Promise<RunHandler>): (job: ProcessorJob) => Promise<JsonObject> {
  let handler: Promise<RunHandler> | undefined;
  let redis: Promise<Redis> | undefined;
  return async (job) => {
    const { fingerprint, spec, names } = job.data;
    const keys = resultKeys(names);
    redis ??= connectRedis(parseRedisUrl(process.env[QUEUE_URL_ENV] ?? '', QUEUE_URL_ENV));
    const db = await redis;
    if (await db.hexists(keys.results, fingerprint)) return { fingerprint, stored: false };
    await db.hincrby(keys.starts, fingerprint, 1);
    let result: JsonObject | undefined;
    try {
      handler ??= setup();
      result = await (await handler)(spec, new AbortController().signal);
      if (result === undefined) throw new Error('the run stopped before its end');
    } catch (err) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await db.hsetnx(keys.failures, fingerprint, JSON.stringify(failureOf(err)));
      throw err;
    }
    const stored = (await db.hsetnx(keys.results, fingerprint, JSON.stringify(result))) === 1;
    if (stored) await db.hincrby(keys.executions, fingerprint, 1);
    return { fingerprint, stored };
  };
}
