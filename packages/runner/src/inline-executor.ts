import type { RunExecutorV1, RunHandler } from './types.js';
import { failureOf } from './types.js';

/** Runs jobs one after another in this thread (`--workers 1`, tests). */
export function createInlineExecutor(handler: RunHandler): RunExecutorV1 {
  return {
    kind: 'inline',
    async execute(jobs, sink, signal) {
      for (const job of jobs) {
        if (signal.aborted) return { aborted: true };
        sink.event?.({ type: 'started', fingerprint: job.fingerprint });
        let result;
        try {
          result = await handler(job.spec, signal);
        } catch (err) {
          await sink.outcome({ fingerprint: job.fingerprint, status: 'failed', error: failureOf(err) });
          continue;
        }
        if (result === undefined) return { aborted: true };
        await sink.outcome({ fingerprint: job.fingerprint, status: 'done', result });
      }
      return { aborted: signal.aborted };
    },
    close: async () => undefined,
  };
}
