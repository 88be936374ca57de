import { createHash } from 'node:crypto';
import { FlowProducer, Job, Queue, QueueEvents } from 'bullmq';
import type { RunExecutorV1, RunFailure, RunJob, RunOutcome } from '../types.js';
import { DEFAULT_NAMES, connectRedis, connectionOptions, resultKeys } from './keys.js';
import type { QueueNames } from './keys.js';
import type { RedisTarget } from './redis-url.js';

export interface QueueExecutorOptions {
  target: RedisTarget;
  names?: Partial<QueueNames>;
  /** Attempts per run (retries with exponential backoff from `backoffMs`). */
  attempts?: number;
  backoffMs?: number;
  /** How often the coordinator reads the result hashes (events can be missed across a Redis restart). */
  pollMs?: number;
  /** Approximate length the queue's event stream is trimmed to. */
  eventsMaxLen?: number;
}

/** The job payload: the spec (small JSON naming its inputs, never arrays) and where to store the result. */
export interface RunJobData {
  fingerprint: string;
  spec: RunJob['spec'];
  names: QueueNames;
}

/**
 * The distributed executor (the coordinator's side): adds a BullMQ flow, a parent sweep job with
 * one child job per run (job id = fingerprint, so re-adding a run that is queued or running is a
 * no-op), and waits until every run has a result or a final failure in Redis' result hashes, which
 * the workers fill idempotently. Runs whose results Redis already holds are not queued again, so a
 * coordinator killed and rerun resumes. Completed jobs are removed, failed ones kept up to a count,
 * and the event stream is trimmed.
 */
export function createQueueExecutor(options: QueueExecutorOptions): RunExecutorV1 {
  const names: QueueNames = { ...DEFAULT_NAMES, ...options.names };
  const keys = resultKeys(names);
  const connection = connectionOptions(options.target);
  const closers: Array<() => Promise<unknown>> = [];
  return {
    kind: 'queue',
    async execute(jobs, sink, signal) {
      const redis = await connectRedis(options.target);
      closers.push(async () => redis.quit().catch(() => redis.disconnect()));
      const queue = new Queue(names.queue, { connection, prefix: names.prefix, streams: { events: { maxLen: options.eventsMaxLen ?? 2000 } } });
      const events = new QueueEvents(names.queue, { connection, prefix: names.prefix });
      const flows = new FlowProducer({ connection, prefix: names.prefix });
      const sweeps = new Queue(`${names.queue}-sweeps`, { connection, prefix: names.prefix });
      for (const c of [queue, events, flows, sweeps] as Array<{ on(e: 'error', f: () => void): unknown; close(): Promise<unknown> }>) {
        c.on('error', () => undefined);
        closers.push(() => c.close());
      }
      const open = new Set(jobs.map((j) => j.fingerprint));
      let chain = Promise.resolve();
      const deliver = (o: RunOutcome) => {
        if (!open.delete(o.fingerprint)) return;
        chain = chain.then(() => sink.outcome(o));
      };
      const collect = async () => {
        const fps = [...open];
        if (fps.length === 0) return;
        const [done, failed] = await Promise.all([redis.hmget(keys.results, ...fps), redis.hmget(keys.failures, ...fps)]);
        fps.forEach((fp, i) => {
          if (done[i] !== null) deliver({ fingerprint: fp, status: 'done', result: JSON.parse(done[i] as string) });
          else if (failed[i] !== null) deliver({ fingerprint: fp, status: 'failed', error: JSON.parse(failed[i] as string) as RunFailure });
        });
      };
      await collect();
      // Listen before queueing, so no event of these runs is missed.
      events.on('active', ({ jobId }) => { if (open.has(jobId)) sink.event?.({ type: 'started', fingerprint: jobId }); });
      events.on('failed', ({ jobId, failedReason }) => {
        if (open.has(jobId)) sink.event?.({ type: 'retrying', fingerprint: jobId, attempt: 0, reason: failedReason });
        void collect().catch(() => undefined);
      });
      events.on('completed', () => { void collect().catch(() => undefined); });
      await events.waitUntilReady();
      const todo = jobs.filter((j) => open.has(j.fingerprint));
      let parentId: string | undefined;
      if (todo.length > 0) {
        // A failed job of an earlier sweep keeps its id: remove it so the run can be queued again.
        for (const j of todo) {
          const old = await Job.fromId(queue, j.fingerprint);
          if (old && (await old.isFailed())) await old.remove();
        }
        parentId = `sweep-${createHash('sha256').update(todo.map((j) => j.fingerprint).sort().join(',')).digest('hex').slice(0, 24)}`;
        const opts = {
          attempts: options.attempts ?? 3, backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
          removeOnComplete: true, removeOnFail: { count: 1000 }, ignoreDependencyOnFailure: true,
        };
        const children = todo.map((j) => ({ name: 'run', queueName: names.queue, data: { fingerprint: j.fingerprint, spec: j.spec, names } satisfies RunJobData, opts: { ...opts, jobId: j.fingerprint } }));
        try {
          await flows.add({ name: 'sweep', queueName: `${names.queue}-sweeps`, opts: { jobId: parentId, removeOnComplete: true }, data: { runs: todo.length }, children });
        } catch (err) {
          // A run queued by another sweep still in progress belongs to that sweep's parent: queue the
          // runs as plain jobs instead (same ids, so the shared run executes once).
          sink.event?.({ type: 'log', line: `queueing runs without a sweep parent (${(err as Error).message.split('\n')[0]})` });
          parentId = undefined;
          await queue.addBulk(children.map((c) => ({ name: c.name, data: c.data, opts: { ...c.opts, ignoreDependencyOnFailure: undefined } })));
        }
      }
      const aborted = await new Promise<boolean>((resolve) => {
        const tick = setInterval(() => {
          if (signal.aborted) { clearInterval(tick); resolve(true); return; }
          void collect().then(() => { if (open.size === 0) { clearInterval(tick); resolve(false); } }, () => undefined);
        }, options.pollMs ?? 500);
        if (open.size === 0) { clearInterval(tick); resolve(false); }
      });
      await chain;
      if (!aborted && parentId) {
        // Nobody processes sweep parents: the coordinator that waited for the flow removes it, once
        // BullMQ has moved its last child (a result is stored just before its job completes).
        const parent = await Job.fromId(sweeps, parentId).catch(() => undefined);
        for (let i = 0; parent && i < 100 && (await parent.getState().catch(() => 'unknown')) === 'waiting-children'; i++) await new Promise((r) => setTimeout(r, 100));
        await parent?.remove({ removeChildren: false }).catch(() => undefined);
      }
      await this.close();
      return { aborted };
    },
    async close() {
      const all = closers.splice(0);
      await Promise.all(all.map((c) => c().catch(() => undefined)));
    },
  };
}
