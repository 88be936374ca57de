import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@pikt/core';
import { fingerprint } from './fingerprint.js';
import { createInlineExecutor } from './inline-executor.js';
import { scheduleRuns } from './schedule.js';
import { checkWorkers, createThreadPool } from './thread-pool.js';
import type { RunOutcome } from './types.js';
// @ts-expect-error plain JavaScript fixture shared with the threads
import { fakeRun } from '../test-fixtures/fake-run.mjs';

const entry = new URL('../test-fixtures/fake-thread.mjs', import.meta.url);
const specs: JsonObject[] = Array.from({ length: 12 }, (_, i) => ({ seed: i + 1, n: 2000 + 37 * i }));
const reference = (s: JsonObject) => { let v = 0; for (let i = 0; i < (s.n as number); i++) v += Math.sin((s.seed as number) * i); return v; };
const byFp = (m: Map<string, RunOutcome>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

describe('scheduleRuns', () => {
  it('runs each distinct spec once, skips known ones, and keys outcomes by fingerprint', async () => {
    const calls: number[] = [];
    const executor = createInlineExecutor(async (spec) => { calls.push(spec.seed as number); return fakeRun(spec); });
    const known = fingerprint(specs[0]);
    const r = await scheduleRuns([...specs, { n: specs[3].n, seed: specs[3].seed }], { executor, known: (fp) => fp === known });
    expect(r.skipped).toEqual([known]);
    expect(calls).toEqual(specs.slice(1).map((s) => s.seed));
    for (const s of specs.slice(1)) expect(r.outcomes.get(fingerprint(s))).toEqual({ fingerprint: fingerprint(s), status: 'done', result: { value: reference(s), seed: s.seed } });
  });

  it('gives a thread pool the numbers of sequential execution, whatever the completion order', async () => {
    const inline = await scheduleRuns(specs, { executor: createInlineExecutor(fakeRun) });
    const order: string[] = [];
    const pool = createThreadPool({ entry, size: 3 });
    const threaded = await scheduleRuns(specs, { executor: pool, onOutcome: (o) => { order.push(o.fingerprint); } });
    await pool.close();
    expect(byFp(threaded.outcomes)).toEqual(byFp(inline.outcomes));
    expect(order.sort()).toEqual([...inline.outcomes.keys()].sort());
  });

  it('records a failing run and a dying thread as failures; the other runs complete', async () => {
    const mixed = [specs[0], { ...specs[1], fail: true }, { ...specs[2], die: true }, specs[3], specs[4]];
    const pool = createThreadPool({ entry, size: 2 });
    const r = await scheduleRuns(mixed, { executor: pool });
    await pool.close();
    expect(r.outcomes.get(fingerprint(mixed[1]))).toEqual({ fingerprint: fingerprint(mixed[1]), status: 'failed', error: { message: 'run 2 failed on purpose', code: 'FAKE_FAIL' } });
    expect(r.outcomes.get(fingerprint(mixed[2]))).toEqual({ fingerprint: fingerprint(mixed[2]), status: 'failed', error: { message: 'worker thread died: exit code 3' } });
    for (const s of [specs[0], specs[3], specs[4]]) expect(r.outcomes.get(fingerprint(s))).toMatchObject({ status: 'done', result: { value: reference(s) } });
    const inline = await scheduleRuns([mixed[1]], { executor: createInlineExecutor(fakeRun) });
    expect(inline.outcomes.get(fingerprint(mixed[1]))).toEqual(r.outcomes.get(fingerprint(mixed[1])));
  });

  it('stops on abort without outcomes for unfinished runs, and rejects a pool of 0 threads', async () => {
    const controller = new AbortController();
    const pool = createThreadPool({ entry, size: 2 });
    const slow = specs.map((s) => ({ ...s, n: 3e7 }));
    setTimeout(() => controller.abort(), 50);
    const r = await scheduleRuns(slow, { executor: pool, signal: controller.signal });
    expect(r.aborted).toBe(true);
    expect(r.outcomes.size).toBeLessThan(slow.length);
    expect(() => checkWorkers('workers', 0)).toThrow('Invalid option "workers": got 0. Expected an integer >= 1.');
  });
});
