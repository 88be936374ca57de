import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { DEFAULT_NAMES, connectRedis, connectionOptions } from './keys.js';
import type { QueueNames } from './keys.js';
import { QUEUE_URL_ENV } from './processor.js';
import type { RedisTarget } from './redis-url.js';

export interface QueueWorkerOptions {
  target: RedisTarget;
  /** A processor file (built JavaScript whose default export is a `createQueueProcessor` function). */
  processor: string | URL;
  concurrency?: number;
  names?: Partial<QueueNames>;
  /** How long a job's lock lives without renewal, and how often stalled jobs are looked for. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface QueueWorker {
  /** Stop taking jobs, let the running ones finish, and disconnect. */
  close(): Promise<void>;
  on(event: 'completed' | 'failed', listener: (jobId: string, detail: string) => void): void;
}

/**
 * A BullMQ worker for run jobs: each job runs in a sandboxed processor on a worker thread (up to
 * `concurrency` at once), so the main thread keeps renewing locks. A worker that dies mid-run
 * leaves its job's lock to expire; another worker's stalled check puts the job back in the queue.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const probe = await connectRedis(options.target);
  probe.disconnect();
  process.env[QUEUE_URL_ENV] = options.target.url;
  const names = { ...DEFAULT_NAMES, ...options.names };
  const processor = options.processor instanceof URL ? fileURLToPath(options.processor) : options.processor;
  const worker = new Worker(names.queue, processor, {
    connection: connectionOptions(options.target), prefix: names.prefix, concurrency: options.concurrency ?? 1,
    useWorkerThreads: true, lockDuration: options.lockDurationMs ?? 30_000, stalledInterval: options.stalledIntervalMs ?? 30_000, maxStalledCount: 3,
  });
  worker.on('error', () => undefined);
  return {
    close: () => worker.close(),
    on(event, listener) {
      if (event === 'completed') worker.on('completed', (job) => listener(job.id ?? '', ''));
      else worker.on('failed', (job, err) => listener(job?.id ?? '', err.message));
    },
  };
}
