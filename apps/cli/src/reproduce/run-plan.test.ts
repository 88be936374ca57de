import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../progress/progress.js';
import { openResultsStore } from '../results/results-store.js';
import type { RunRecord } from '../results/types.js';
import { executePlan } from './run-plan.js';
import type { ExecuteSpec } from './run-plan.js';
import type { StudentRunSpec } from './run-spec.js';
import type { ResolvedRun } from './types.js';

const params = { lambda: null, alpha: null, width: null, teacher: null, embedding: null, regularizer: null };
const plan: ResolvedRun[] = ['a', 'b', 'c', 'd'].map((label, i) => ({ experiment: i < 2 ? 'E1' : 'E2', label, params, spec: { v: i, label } as unknown as StudentRunSpec }));

/** Deterministic fake: a run's numbers depend only on its spec; aborts when the signal fires during run `abortAt`. */
function fakeExecutor(calls: string[], controller?: AbortController, abortAt?: string): ExecuteSpec {
  return async (spec, signal) => {
    const label = spec.label as unknown as string;
    calls.push(label);
    if (label === abortAt) controller?.abort();
    if (signal.aborted) return undefined;
    const v = spec.v as unknown as number;
    return { measured: { labelErrorFinal: v * 2 }, predicted: { labelErrorFinal: v * 2 + 0.5 } };
  };
}

const quiet = () => createProgress({ write: () => undefined, isTTY: false });
const strip = (f: { experiments: Record<string, { runs: RunRecord[] }> }) =>
  Object.fromEntries(Object.entries(f.experiments).map(([k, e]) => [k, e.runs.map(({ wallMs: _w, ...r }) => r)]));

describe('executePlan', () => {
  it('stops cleanly, keeps finished runs, and resumes without recomputing them to the same results', async () => {
    const env = { backend: 'cpu', node: 'v20', cpus: 2 };
    const fullDir = mkdtempSync(join(tmpdir(), 'pikt-plan-'));
    const fullStore = await openResultsStore({ dir: fullDir, config: { x: 1 }, environment: env });
    const fullCalls: string[] = [];
    const full = await executePlan(plan, fakeExecutor(fullCalls), fullStore, quiet(), new AbortController().signal);
    expect(full).toEqual({ computed: ['E1/a', 'E1/b', 'E2/c', 'E2/d'], reused: [], aborted: false });

    const dir = mkdtempSync(join(tmpdir(), 'pikt-plan-'));
    const controller = new AbortController();
    const calls: string[] = [];
    const first = await executePlan(plan, fakeExecutor(calls, controller, 'c'), await openResultsStore({ dir, config: { x: 1 }, environment: env }), quiet(), controller.signal);
    expect(first).toEqual({ computed: ['E1/a', 'E1/b'], reused: [], aborted: true });

    const resumedCalls: string[] = [];
    const store = await openResultsStore({ dir, config: { x: 1 }, environment: env, resume: true });
    const second = await executePlan(plan, fakeExecutor(resumedCalls), store, quiet(), new AbortController().signal);
    expect(second).toEqual({ computed: ['E2/c', 'E2/d'], reused: ['E1/a', 'E1/b'], aborted: false });
    expect(resumedCalls).toEqual(['c', 'd']);
    expect(strip(store.snapshot())).toEqual(strip(fullStore.snapshot()));
  });
});
