import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { acquireOutput } from '../output-guard/guard.js';
import { legacyResultsFiles, openResultsStore } from './results-store.js';
import type { RunRecord } from './types.js';

const env = { backend: 'cpu', node: 'v20', cpus: 2 };
const params = { lambda: 1, alpha: 0.5, width: 1024, teacher: 'mlp', embedding: 'raw', regularizer: 'quadratic' };
const run = (label: string, v: number): RunRecord => ({ label, params, measured: { labelErrorFinal: v }, predicted: { labelErrorFinal: v + 1 } });

describe('openResultsStore', () => {
  it('writes results.json in the issue-5 shape after every put', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-results-'));
    const store = await openResultsStore({ dir, config: { preset: 'tiny', seed: 1 }, environment: env });
    await store.put('E1', run('a', 1));
    await store.put('E2', run('b', 2));
    await store.put('E1', run('a', 3));
    const file = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(file).toEqual({
      version: 1, config: { preset: 'tiny', seed: 1 }, environment: env,
      experiments: { E1: { runs: [run('a', 3)] }, E2: { runs: [run('b', 2)] } },
    });
  });

  it('resumes finished runs, refuses a different config, and refuses to overwrite without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-results-'));
    const first = await openResultsStore({ dir, config: { a: 1, b: [1, 2] }, environment: env });
    await first.put('E1', run('x', 1));
    const again = await openResultsStore({ dir, config: { b: [1, 2], a: 1 }, environment: env, resume: true });
    expect(again.resumedRuns).toBe(1);
    expect(again.get('E1', 'x')).toEqual(run('x', 1));
    expect(again.get('E1', 'y')).toBeUndefined();
    await expect(openResultsStore({ dir, config: { a: 2, b: [1, 2] }, environment: env, resume: true })).rejects.toThrow(/different configuration/);
    await expect(openResultsStore({ dir, config: { a: 1, b: [1, 2] }, environment: env })).rejects.toThrow(/--resume to continue it, --force to start over/);
    const fresh = await openResultsStore({ dir, config: { a: 1 }, environment: env, force: true });
    expect(fresh.get('E1', 'x')).toBeUndefined();
  });

  it('names a corrupt results file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-results-'));
    writeFileSync(join(dir, 'results.json'), '{"version":1,');
    await expect(openResultsStore({ dir, config: {}, environment: env, resume: true })).rejects.toThrow(/results\.json is not valid JSON/);
  });

  it('--force replaces a corrupt results.json instead of failing on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-results-'));
    writeFileSync(join(dir, 'results.json'), '{"version":1,');
    await expect(openResultsStore({ dir, config: {}, environment: env })).rejects.toThrow(/is not valid JSON .*: its runs cannot be resumed\. Rerun with --force to start over and replace it/);
    const store = await openResultsStore({ dir, config: { a: 1 }, environment: env, force: true });
    await store.put('E1', run('x', 1));
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).config).toEqual({ a: 1 });
  });

  it('a folder written by a pikt of before the manifest is recognized by its results.json and adopted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-results-'));
    const old = await openResultsStore({ dir, config: {}, environment: env });
    await old.put('E1', run('x', 1));
    mkdirSync(join(dir, 'figures'));
    for (const f of ['report.md', 'report.html', 'figures/e1.svg', 'figures/e1.png', 'figures/notes.txt']) writeFileSync(join(dir, f), 'old');
    expect(await legacyResultsFiles(dir)).toEqual(['results.json', 'report.md', 'report.html', 'figures/e1.png', 'figures/e1.svg']);
    // notes.txt is not pikt's: the guard still refuses the folder because of it, and adopts nothing else then.
    const opts = { command: 'reproduce', kind: 'dir' as const, planned: ['results.json', 'report.md', 'report.html'], plannedDirs: ['figures'], adopt: legacyResultsFiles, resume: true };
    await expect(acquireOutput(dir, opts)).rejects.toThrow(/figures\/notes\.txt exists and pikt did not write it/);
    const clean = mkdtempSync(join(tmpdir(), 'pikt-results-'));
    await (await openResultsStore({ dir: clean, config: {}, environment: env })).put('E1', run('x', 1));
    writeFileSync(join(clean, 'report.md'), 'old');
    const g = await acquireOutput(clean, opts);
    expect([g.owns('results.json'), g.owns('report.md')]).toEqual([true, true]);
    await g.release();
    expect(await legacyResultsFiles(mkdtempSync(join(tmpdir(), 'pikt-results-')))).toEqual([]);
  });

  it('reorders runs by the plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-results-'));
    const store = await openResultsStore({ dir, config: {}, environment: env });
    for (const l of ['c', 'a', 'b']) await store.put('E1', run(l, 0));
    await store.reorder({ E1: ['a', 'b', 'c'] });
    expect(store.snapshot().experiments.E1.runs.map((r) => r.label)).toEqual(['a', 'b', 'c']);
  });
});

