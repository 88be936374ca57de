import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInlineExecutor, fingerprint } from '@pikt/runner';
import type { RunHandler } from '@pikt/runner';
import { createProgress } from '../progress/progress.js';
import { openResultsStore } from '../results/results-store.js';
import type { RunRecord } from '../results/types.js';
import { executePlan } from './run-plan.js';
import type { StudentRunSpec } from './run-spec.js';
import type { ResolvedRun } from './types.js';

const params = { lambda: null, alpha: null, width: null, teacher: null, embedding: null, regularizer: null };
const spec = (v: number) => ({ v }) as unknown as StudentRunSpec;
// Runs c and e share a spec: one fingerprint, one execution, two records.
const plan: ResolvedRun[] = [['a', 0], ['b', 1], ['c', 2], ['d', 3], ['e', 2]].map(([label, v], i) => ({ experiment: i < 2 ? 'E1' : 'E2', label: label as string, params, spec: spec(v as number) }));
const env = { backend: 'cpu', node: 'v20', cpus: 2 };

/** Deterministic fake: numbers depend only on the spec; aborts when the signal fires during spec `abortAt`; spec 3 fails when told. */
function fake(calls: number[], opts: { controller?: AbortController; abortAt?: number; fail?: boolean } = {}): RunHandler {
  return async (s, signal) => {
    const v = s.v as number;
    calls.push(v);
    if (v === opts.abortAt) opts.controller?.abort();
    if (signal.aborted) return undefined;
    if (opts.fail && v === 3) throw Object.assign(new Error('spec 3 diverged'), { code: 'PIKT_X' });
    return { measured: { labelErrorFinal: v * 2 }, predicted: { labelErrorFinal: v * 2 + 0.5 } };
  };
}

const quiet = () => createProgress({ write: () => undefined, isTTY: false });
const strip = (f: { experiments: Record<string, { runs: RunRecord[] }> }) =>
  Object.fromEntries(Object.entries(f.experiments).map(([k, e]) => [k, e.runs.map(({ wallMs: _w, ...r }) => r)]));

describe('executePlan', () => {
  it('runs each fingerprint once, stops cleanly, keeps finished runs, and resumes without recomputing them', async () => {
    const fullStore = await openResultsStore({ dir: mkdtempSync(join(tmpdir(), 'pikt-plan-')), config: { x: 1 }, environment: env });
    const fullCalls: number[] = [];
    const full = await executePlan(plan, createInlineExecutor(fake(fullCalls)), fullStore, quiet(), new AbortController().signal);
    expect(full).toEqual({ computed: ['E1/a', 'E1/b', 'E2/c', 'E2/e', 'E2/d'], reused: [], failed: [], aborted: false });
    expect(fullCalls).toEqual([0, 1, 2, 3]);
    expect(fullStore.get('E2', 'e')).toEqual({ label: 'e', params, fingerprint: fingerprint({ v: 2 }), measured: { labelErrorFinal: 4 }, predicted: { labelErrorFinal: 4.5 } });

    const dir = mkdtempSync(join(tmpdir(), 'pikt-plan-'));
    const controller = new AbortController();
    const first = await executePlan(plan, createInlineExecutor(fake([], { controller, abortAt: 2 })), await openResultsStore({ dir, config: { x: 1 }, environment: env }), quiet(), controller.signal);
    expect(first).toEqual({ computed: ['E1/a', 'E1/b'], reused: [], failed: [], aborted: true });

    const resumedCalls: number[] = [];
    const store = await openResultsStore({ dir, config: { x: 1 }, environment: env, resume: true });
    const second = await executePlan(plan, createInlineExecutor(fake(resumedCalls)), store, quiet(), new AbortController().signal);
    expect(second).toEqual({ computed: ['E2/c', 'E2/e', 'E2/d'], reused: ['E1/a', 'E1/b'], failed: [], aborted: false });
    expect(resumedCalls).toEqual([2, 3]);
    await store.reorder({ E1: ['a', 'b'], E2: ['c', 'd', 'e'] });
    await fullStore.reorder({ E1: ['a', 'b'], E2: ['c', 'd', 'e'] });
    expect(strip(store.snapshot())).toEqual(strip(fullStore.snapshot()));
  });

  it('records a failing run with its reason, goes on, and retries it on resume', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-plan-'));
    const r = await executePlan(plan, createInlineExecutor(fake([], { fail: true })), await openResultsStore({ dir, config: { x: 1 }, environment: env }), quiet(), new AbortController().signal);
    expect(r.failed).toEqual(['E2/d: spec 3 diverged']);
    expect(r.computed).toHaveLength(5);
    const store = await openResultsStore({ dir, config: { x: 1 }, environment: env, resume: true });
    expect(store.get('E2', 'd')).toEqual({ label: 'd', params, fingerprint: fingerprint({ v: 3 }), measured: {}, predicted: {}, failure: { message: 'spec 3 diverged', code: 'PIKT_X' } });
    const calls: number[] = [];
    const again = await executePlan(plan, createInlineExecutor(fake(calls)), store, quiet(), new AbortController().signal);
    expect(calls).toEqual([3]);
    expect(again.failed).toEqual([]);
    expect(store.get('E2', 'd')?.measured).toEqual({ labelErrorFinal: 6 });
  });
});
