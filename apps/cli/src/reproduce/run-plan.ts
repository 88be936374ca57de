import type { Progress } from '../progress/progress.js';
import type { ResultsStore } from '../results/results-store.js';
import type { PlannedRun, RunExecutor } from './types.js';

export interface PlanOutcome {
  /** `E1/label` of runs computed by this invocation. */
  computed: string[];
  /** `E1/label` of runs found finished in results.json and not recomputed. */
  reused: string[];
  /** True when the signal stopped the plan before its end. */
  aborted: boolean;
}

/**
 * Execute a plan run by run, storing each finished run at once (atomically) so that a kill at any
 * point keeps every finished run, and skipping runs the store already holds (`--resume`). An
 * aborted run is not stored: it is recomputed from its start on resume, which keeps results equal
 * to an uninterrupted run's.
 */
export async function executePlan(plan: readonly PlannedRun[], executor: RunExecutor, store: ResultsStore, progress: Progress, signal: AbortSignal): Promise<PlanOutcome> {
  const outcome: PlanOutcome = { computed: [], reused: [], aborted: false };
  for (const [i, run] of plan.entries()) {
    const key = `${run.experiment}/${run.label}`;
    if (store.get(run.experiment, run.label)) {
      outcome.reused.push(key);
      continue;
    }
    if (signal.aborted) { outcome.aborted = true; break; }
    progress.task(key, i + 1, plan.length);
    const started = performance.now();
    const record = await executor.execute(run, signal);
    if (!record) { outcome.aborted = true; break; }
    record.wallMs = Math.round(performance.now() - started);
    await store.put(run.experiment, record);
    outcome.computed.push(key);
  }
  if (outcome.reused.length > 0) progress.log(`reused ${outcome.reused.length} finished run(s) from ${store.path}`);
  return outcome;
}
