import { parentPort, workerData } from 'node:worker_threads';
import type { JsonObject, JsonValue } from '@pikt/core';
import type { RunFailure, RunHandler } from './types.js';
import { failureOf } from './types.js';

/** Messages a pool thread sends back. */
export type ThreadReply =
  | { type: 'done'; fingerprint: string; result: JsonObject }
  | { type: 'failed'; fingerprint: string; error: RunFailure }
  | { type: 'log'; line: string };

/**
 * The body of a pool thread's module: build the handler once (activate a backend, open caches),
 * then execute each spec the pool sends, one at a time, and answer with its result or failure.
 */
export function serveRuns(setup: (data: JsonValue) => Promise<RunHandler>): void {
  const port = parentPort;
  if (!port) throw new Error('serveRuns must run inside a worker thread (a thread-pool entry module)');
  const handler = setup(workerData as JsonValue);
  const never = new AbortController().signal;
  port.on('message', (m: { type: 'run'; fingerprint: string; spec: JsonObject }) => {
    void (async () => {
      let reply: ThreadReply;
      try {
        const result = await (await handler)(m.spec, never);
        reply = result === undefined
          ? { type: 'failed', fingerprint: m.fingerprint, error: { message: 'the run stopped before its end' } }
          : { type: 'done', fingerprint: m.fingerprint, result };
      } catch (err) {
        reply = { type: 'failed', fingerprint: m.fingerprint, error: failureOf(err) };
      }
      port.postMessage(reply);
    })();
  });
}
