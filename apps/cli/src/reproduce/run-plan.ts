import { scheduleRuns } from '@pikt/runner';
import type { RunExecutorV1, RunOutcome } from '@pikt/runner';
import { fingerprint } from '@pikt/runner';
import type { Progress } from '../progress/progress.js';
import type { ResultsStore } from '../results/results-store.js';
import type { RunRecord } from '../results/types.js';
import type { ResolvedRun, RunOutcome as RunNumbersOutcome } from './types.js';

export interface PlanOutcome {
  /** `E1/label` of runs computed by this invocation (failed ones included). */
  computed: string[];
  /** `E1/label` of runs found finished in results.json and not recomputed. */
  reused: string[];
  /** `E1/label: reason` of runs that failed (recorded in results.json; the others went on). */
  failed: string[];
  /** True when the signal stopped the plan before its end. */
  aborted: boolean;
}

/** The results.json record of a run from its outcome: its numbers, or its failure and no numbers. */
export function recordOf(run: Pick<ResolvedRun, 'label' | 'params'>, fp: string, o: RunOutcome): RunRecord {
  if (o.status === 'failed') return { label: run.label, params: run.params, fingerprint: fp, measured: {}, predicted: {}, failure: o.error };
  return { label: run.label, params: run.params, fingerprint: fp, ...(structuredClone(o.result) as unknown as RunNumbersOutcome) };
}

/**
 * Execute a plan through the scheduler: each distinct run spec once (E1's runs reappear in E2-E6:
 * one fingerprint, one run), on whatever executor (this thread, worker threads, BullMQ workers),
 * storing each run at once (atomically) as its outcome arrives, so a kill keeps every finished run,
 * and skipping runs the store already holds (`--resume`). A failed run is recorded with its reason
 * and recomputed on resume; an aborted one is not stored, so results equal an uninterrupted run's.
 */
export async function executePlan(plan: readonly ResolvedRun[], executor: RunExecutorV1, store: ResultsStore, progress: Progress, signal: AbortSignal): Promise<PlanOutcome> {
  const outcome: PlanOutcome = { computed: [], reused: [], failed: [], aborted: false };
  const byFp = new Map<string, ResolvedRun[]>();
  for (const run of plan) {
    const fp = fingerprint(run.spec);
    byFp.set(fp, [...(byFp.get(fp) ?? []), run]);
  }
  const finished = (r: ResolvedRun) => { const rec = store.get(r.experiment, r.label); return rec !== undefined && rec.failure === undefined; };
  for (const run of plan) if (finished(run)) outcome.reused.push(`${run.experiment}/${run.label}`);
  const known = (fp: string) => (byFp.get(fp) ?? []).every(finished);
  const total = [...byFp.keys()].filter((fp) => !known(fp)).length;
  let done = 0;
  const labels = (fp: string) => (byFp.get(fp) ?? []).map((r) => `${r.experiment}/${r.label}`).join(', ');
  const result = await scheduleRuns(plan.map((r) => r.spec), {
    executor, signal,
    known,
    onEvent: (e) => { if (e.type === 'started') progress.log(`started ${labels(e.fingerprint)}${e.where ? ` on ${e.where}` : ''}`); else if (e.type === 'log') progress.log(e.line); },
    async onOutcome(o) {
      done += 1;
      for (const run of byFp.get(o.fingerprint) ?? []) {
        if (finished(run)) continue;
        await store.put(run.experiment, recordOf(run, o.fingerprint, o));
        outcome.computed.push(`${run.experiment}/${run.label}`);
        if (o.status === 'failed') outcome.failed.push(`${run.experiment}/${run.label}: ${o.error.message}`);
      }
      progress.log(`[${done}/${total}] ${o.status === 'done' ? 'finished' : 'FAILED'} ${labels(o.fingerprint)}${o.status === 'failed' ? ` (${o.error.message})` : ''}`);
    },
  });
  outcome.aborted = result.aborted;
  if (outcome.reused.length > 0) progress.log(`reused ${outcome.reused.length} finished run(s) from ${store.path}`);
  return outcome;
}
