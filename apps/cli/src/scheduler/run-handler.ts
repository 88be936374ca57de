import type { JsonObject } from '@pikt/core';
import type { RunHandler } from '@pikt/runner';
import { activateBackend } from '../backends.js';
import type { BackendChoice } from '../backends.js';
import { createRunExecutor } from '../reproduce/executor.js';
import type { StudentRunSpec } from '../reproduce/run-spec.js';

/**
 * The handler every executor runs a student spec with (this thread, a pool thread, a queue
 * worker's sandboxed thread): activate the backend once, then execute specs with one run executor,
 * whose caches (task, teachers, Grams) serve every later spec in the same thread.
 */
export async function studentRunHandler(backend: BackendChoice): Promise<RunHandler> {
  await activateBackend(backend);
  const executor = createRunExecutor();
  return async (spec, signal) => (await executor.execute(spec as StudentRunSpec, signal)) as JsonObject | undefined;
}
