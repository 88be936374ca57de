import type { Progress } from '../progress/progress.js';
import type { ResultsStore } from '../results/results-store.js';
import { canonicalJson } from '@pikt/core';
import type { StudentRunSpec } from './run-spec.js';
import type { ResolvedRun, RunOutcome } from './types.js';

export interface PlanOutcome {
  /** `E1/label` of runs computed by this invocation. */
  computed: string[];
  /** `E1/label` of runs found finished in results.json and not recomputed. */
  reused: string[];
  /** True when the signal stopped the plan before its end. */
  aborted: boolean;
}

export type ExecuteSpec = (spec: StudentRunSpec, signal: AbortSignal) => Promise<RunOutcome | undefined>;

/**
 * Execute a plan run by run, storing each finished run at once (atomically) so that a kill at any
 * point keeps every finished run, and skipping runs the store already holds (`--resume`). Runs with
 * equal specs (E1's runs reappear in E2-E6) are computed once. An aborted run is not stored: it is
 * recomputed from its start on resume, which keeps results equal to an uninterrupted run's.
 */
export async function executePlan(plan: readonly ResolvedRun[], execute: ExecuteSpec, store: ResultsStore, progress: Progress, signal: AbortSignal): Promise<PlanOutcome> {
  const outcome: PlanOutcome = { computed: [], reused: [], aborted: false };
  const memo = new Map<string, RunOutcome>();
  for (const [i, run] of plan.entries()) {
    const key = `${run.experiment}/${run.label}`;
    if (store.get(run.experiment, run.label)) {
      outcome.reused.push(key);
      continue;
    }
    if (signal.aborted) { outcome.aborted = true; break; }
    progress.task(key, i + 1, plan.length);
    const started = performance.now();
    const id = canonicalJson(run.spec);
    const result = memo.get(id) ?? (await execute(run.spec, signal));
    if (!result) { outcome.aborted = true; break; }
    memo.set(id, result);
    await store.put(run.experiment, { label: run.label, params: run.params, ...structuredClone(result), wallMs: Math.round(performance.now() - started) });
    outcome.computed.push(key);
  }
  if (outcome.reused.length > 0) progress.log(`reused ${outcome.reused.length} finished run(s) from ${store.path}`);
  return outcome;
}
