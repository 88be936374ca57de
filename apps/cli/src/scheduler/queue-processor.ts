import { createQueueProcessor } from '@pikt/runner';
import type { BackendChoice } from '../backends.js';
import { studentRunHandler } from './run-handler.js';

/** The environment variable through which `pikt worker --backend` reaches its sandboxed processors. */
export const WORKER_BACKEND_ENV = 'PIKT_WORKER_BACKEND';

// The sandboxed processor of `pikt worker` (BullMQ loads this file in a worker thread).
export default createQueueProcessor(async () => studentRunHandler((process.env[WORKER_BACKEND_ENV] ?? 'wasm') as BackendChoice));
