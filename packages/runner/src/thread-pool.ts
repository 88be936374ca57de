import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidOptionError } from '@pikt/core';
import type { JsonValue } from '@pikt/core';
import type { RunExecutorV1, RunJob, RunOutcome } from './types.js';
import type { ThreadReply } from './thread-serve.js';

export interface ThreadPoolOptions {
  /** The thread's module: it calls `serveRuns` (built JavaScript, a file URL or path). */
  entry: URL | string;
  /** Threads; default: as many as there are cores. */
  size?: number;
  /** Passed to every thread as `workerData`. */
  workerData?: JsonValue;
}

/** The default pool size: every core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** A positive integer number of workers, else an InvalidOptionError naming `field`. */
export function checkWorkers(field: string, n: unknown): number {
  if (!Number.isSafeInteger(n) || (n as number) < 1) throw new InvalidOptionError(field, n, 'an integer >= 1');
  return n as number;
}

/**
 * Runs jobs on a pool of worker threads, each with its own tfjs backend (set up by the entry
 * module), one job per thread at a time, so `size` runs progress on `size` cores. Each outcome is
 * reported as its run finishes, in completion order; the numbers do not depend on that order.
 * A thread that dies takes its run with it as a failure, and is replaced.
 */
export function createThreadPool(options: ThreadPoolOptions): RunExecutorV1 {
  const size = checkWorkers('workers', options.size ?? defaultWorkers());
  const live = new Set<Worker>();
  return {
    kind: 'threads',
    execute(jobs, sink, signal) {
      const queue = [...jobs];
      let pending = jobs.length;
      let chain = Promise.resolve();
      return new Promise((resolve, reject) => {
        let finished = false;
        const finish = (aborted: boolean) => {
          if (finished) return;
          finished = true;
          signal.removeEventListener('abort', onAbort);
          void Promise.all([...live].map((w) => w.terminate())).then(() => chain).then(() => resolve({ aborted }), reject);
        };
        const onAbort = () => finish(true);
        signal.addEventListener('abort', onAbort);
        const report = (o: RunOutcome) => {
          chain = chain.then(() => sink.outcome(o)).then(() => {
            pending -= 1;
            if (pending === 0) finish(false);
          }, (err: unknown) => { finished = true; reject(err); });
        };
        const spawn = () => {
          const worker = new Worker(options.entry, { workerData: options.workerData ?? null });
          live.add(worker);
          let current: RunJob | undefined;
          const next = () => {
            current = queue.shift();
            if (!current) { live.delete(worker); void worker.terminate(); return; }
            sink.event?.({ type: 'started', fingerprint: current.fingerprint, where: `thread ${worker.threadId}` });
            worker.postMessage({ type: 'run', fingerprint: current.fingerprint, spec: current.spec });
          };
          worker.on('message', (m: ThreadReply) => {
            if (m.type === 'log') { sink.event?.({ type: 'log', line: m.line }); return; }
            if (!current || m.fingerprint !== current.fingerprint) return;
            report(m.type === 'done' ? { fingerprint: m.fingerprint, status: 'done', result: m.result } : { fingerprint: m.fingerprint, status: 'failed', error: m.error });
            next();
          });
          const died = (why: string) => {
            live.delete(worker);
            if (finished || !current) return;
            report({ fingerprint: current.fingerprint, status: 'failed', error: { message: `worker thread died: ${why}` } });
            current = undefined;
            if (queue.length > 0) spawn();
          };
          worker.on('error', (err) => died(err.message.split('\n')[0]));
          worker.on('exit', (code) => died(`exit code ${code}`));
          next();
        };
        if (signal.aborted) { finish(true); return; }
        for (let i = 0; i < Math.min(size, queue.length); i++) spawn();
      });
    },
    async close() {
      await Promise.all([...live].map((w) => w.terminate()));
      live.clear();
    },
  };
}
