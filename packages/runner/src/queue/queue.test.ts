import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@pikt/core';
import { Redis } from 'ioredis';
import { createInlineExecutor } from '../inline-executor.js';
import { fingerprint } from '../fingerprint.js';
import { scheduleRuns } from '../schedule.js';
import { HAVE_REDIS, freePort, startTestRedis } from '../testing/redis-server.js';
import type { TestRedis } from '../testing/redis-server.js';
import { resultKeys } from './keys.js';
import { createQueueExecutor } from './queue-executor.js';
import { startQueueWorker } from './queue-worker.js';
import type { QueueWorker } from './queue-worker.js';
import { parseRedisUrl } from './redis-url.js';
// @ts-expect-error plain JavaScript fixture shared with the sandboxed processors
import { fakeRun } from '../../test-fixtures/fake-run.mjs';

const processor = new URL('../../test-fixtures/fake-processor.mjs', import.meta.url);
if (!HAVE_REDIS) console.warn('runner queue tests: redis-server not found (apt-get install redis-server, as tools/setup.sh does): skipped (in CI they run and fail).');

describe('parseRedisUrl', () => {
  it('accepts redis://host:port[/db] and names the flag otherwise', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390')).toEqual({ url: 'redis://127.0.0.1:6390', host: '127.0.0.1', port: 6390, db: 0 });
    expect(parseRedisUrl('redis://cache.lan/2')).toEqual({ url: 'redis://cache.lan:6379/2', host: 'cache.lan', port: 6379, db: 2 });
    for (const bad of ['127.0.0.1:6379', 'http://h:1', 'redis://', 'redis://h:1/x', 'redis://h:99999']) {
      expect(() => parseRedisUrl(bad, '--queue')).toThrow(`Invalid option "--queue": got "${bad}". Expected a Redis URL redis://host:port (optionally /db), e.g. redis://127.0.0.1:6379.`);
    }
  });
});

describe.skipIf(!HAVE_REDIS && !process.env.CI)('the BullMQ executor', () => {
  let redis: TestRedis;
  const workers: QueueWorker[] = [];
  beforeAll(async () => { redis = await startTestRedis(); });
  afterAll(async () => { await Promise.all(workers.map((w) => w.close())); redis?.destroy(); });

  const specs: JsonObject[] = Array.from({ length: 8 }, (_, i) => ({ seed: i + 1, n: 5000 + i }));

  it('gives the numbers of sequential execution, stores each result once, records a failure after its retries', async () => {
    const target = parseRedisUrl(redis.url);
    for (let i = 0; i < 2; i++) workers.push(await startQueueWorker({ target, processor, concurrency: 2 }));
    const failing = { seed: 99, n: 1, fail: true };
    const retries: string[] = [];
    const queued = await scheduleRuns([...specs, failing], { executor: createQueueExecutor({ target, backoffMs: 50, pollMs: 100 }), onEvent: (e) => { if (e.type === 'retrying') retries.push(e.fingerprint); } });
    const inline = await scheduleRuns([...specs, failing], { executor: createInlineExecutor(fakeRun) });
    expect(Object.fromEntries(queued.outcomes)).toEqual(Object.fromEntries(inline.outcomes));
    expect(queued.outcomes.get(fingerprint(failing))).toEqual({ fingerprint: fingerprint(failing), status: 'failed', error: { message: 'run 99 failed on purpose', code: 'FAKE_FAIL' } });
    const db = new Redis(redis.port, '127.0.0.1');
    const keys = resultKeys({ prefix: 'pikt', queue: 'runs' });
    expect(await db.hlen(keys.results)).toBe(specs.length);
    expect(Object.values(await db.hgetall(keys.executions))).toEqual(specs.map(() => '1'));
    expect(await db.hget(keys.starts, fingerprint(failing))).toBe('3');
    expect(retries.filter((f) => f === fingerprint(failing)).length).toBeGreaterThanOrEqual(1);
    // Completed jobs are removed; nothing is waiting or active; the sweep parent is gone.
    expect(await db.keys('pikt:runs:completed')).toEqual([]);
    expect(await db.zcard('pikt:runs:failed')).toBe(1);
    expect(await db.exists('pikt:runs-sweeps:wait')).toBe(0);

    // Rerun: every result is in Redis already, so nothing is queued or executed again.
    const again = await scheduleRuns(specs, { executor: createQueueExecutor({ target, pollMs: 100 }) });
    expect(Object.fromEntries(again.outcomes)).toEqual(Object.fromEntries([...inline.outcomes].filter(([fp]) => fp !== fingerprint(failing))));
    expect(Object.values(await db.hgetall(keys.executions))).toEqual(specs.map(() => '1'));
    db.disconnect();
  });

  it('says in one line that Redis is unreachable, naming the URL', async () => {
    const port = await freePort();
    const run = scheduleRuns(specs, { executor: createQueueExecutor({ target: parseRedisUrl(`redis://127.0.0.1:${port}`) }) });
    await expect(run).rejects.toThrow(`Redis at redis://127.0.0.1:${port} is unreachable (ECONNREFUSED). Start redis-server there, or check the host and port given to --queue.`);
  });
});
