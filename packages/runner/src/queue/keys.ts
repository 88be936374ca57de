import { Redis } from 'ioredis';
import type { RedisTarget } from './redis-url.js';
import { QueueUnreachableError } from './redis-url.js';

/** The queue's names in Redis: BullMQ's keys live under `prefix`, pikt's result hashes beside them. */
export interface QueueNames {
  /** BullMQ key prefix (default 'pikt'). */
  prefix: string;
  /** The queue of run jobs (default 'runs'); sweep parents go to `${queue}-sweeps`. */
  queue: string;
}

export const DEFAULT_NAMES: QueueNames = { prefix: 'pikt', queue: 'runs' };

/**
 * Results by fingerprint (HSETNX: the first result stored wins, a duplicate delivery is a no-op),
 * final failures by fingerprint, and per-fingerprint counters of started and completed executions.
 */
export function resultKeys(n: QueueNames): { results: string; failures: string; starts: string; executions: string } {
  const base = `${n.prefix}:${n.queue}`;
  return { results: `${base}:results`, failures: `${base}:failures`, starts: `${base}:starts`, executions: `${base}:executions` };
}

/** Connection options for BullMQ (it needs maxRetriesPerRequest null: commands wait across reconnects). */
export function connectionOptions(t: RedisTarget): { host: string; port: number; db: number; maxRetriesPerRequest: null } {
  return { host: t.host, port: t.port, db: t.db, maxRetriesPerRequest: null };
}

/**
 * A client for pikt's own keys that waits out a Redis restart (reconnects, retries commands), after
 * one first connection that fails fast: unreachable at start is a QueueUnreachableError.
 */
export async function connectRedis(t: RedisTarget, timeoutMs = 3000): Promise<Redis> {
  const probe = new Redis({ host: t.host, port: t.port, db: t.db, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let first: NodeJS.ErrnoException | undefined;
  probe.on('error', (err: NodeJS.ErrnoException) => { first ??= err; });
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    // The socket's own error (ECONNREFUSED, ENOTFOUND, ...) says more than ioredis' "Connection is closed".
    const e = first ?? (err as NodeJS.ErrnoException);
    throw new QueueUnreachableError(t.url, e.code ?? e.message.split('\n')[0]);
  } finally {
    probe.disconnect();
  }
  const client = new Redis({ host: t.host, port: t.port, db: t.db, maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(100 * n, 2000) });
  client.on('error', () => undefined);
  return client;
}
