import { serveRuns } from '@pikt/runner';
import type { BackendChoice } from '../backends.js';
import { studentRunHandler } from './run-handler.js';

// A pool thread of `pikt reproduce` / `pikt sweep`: its own backend, then student specs one by one.
serveRuns(async (data) => studentRunHandler(((data as { backend?: string } | null)?.backend ?? 'wasm') as BackendChoice));
