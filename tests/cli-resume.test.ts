import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_MAIN as main, ROOT as root, buildCli } from './fixtures/built-cli.js';
import type { ResultsFile, RunRecord } from '@pikt/cli';

// A real process is killed here, so the test runs the built CLI (tools/setup.sh builds the
// workspace; the build below is incremental and takes seconds when nothing changed).
const ARGS = ['reproduce', '--preset', 'tiny', '--experiments', 'E1,E3,E4,E5', '--skip-png', '--json'];

beforeAll(buildCli, 300_000);

interface Exit { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function start(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<Exit> } {
  const child = spawn(process.execPath, [main, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<Exit>((res) => child.on('exit', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done };
}

function readRuns(dir: string): Array<[string, RunRecord]> {
  const f = join(dir, 'results.json');
  if (!existsSync(f)) return [];
  const data = JSON.parse(readFileSync(f, 'utf8')) as ResultsFile;
  return Object.entries(data.experiments).flatMap(([id, e]) => e.runs.map((r) => [`${id}/${r.label}`, r] as [string, RunRecord]));
}

/** Everything but wall times, which are the only field allowed to differ between identical runs. */
function comparable(dir: string): unknown {
  const data = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
  return { config: data.config, experiments: Object.fromEntries(Object.entries(data.experiments).map(([id, e]) => [id, e.runs.map(({ wallMs: _w, ...r }) => r)])) };
}

/** Start the CLI and stop it with `signal` once results.json holds at least `runs` finished runs. */
async function interrupt(dir: string, signal: NodeJS.Signals, runs: number, extra: string[] = []): Promise<{ exit: Exit; before: string[] }> {
  const { child, done } = start([...ARGS, '--out', dir, ...extra]);
  let before: string[] = [];
  for (let t = 0; t < 6000; t++) {
    await new Promise((r) => setTimeout(r, 20));
    try { before = readRuns(dir).map(([k]) => k); } catch { /* a reader never sees a torn file: rename is atomic; retry anyway */ }
    if (before.length >= runs || child.exitCode !== null) break;
  }
  child.kill(signal);
  const exit = await done;
  if (signal === 'SIGKILL') before = readRuns(dir).map(([k]) => k);
  return { exit, before };
}

describe('reproduce: killed mid-way, then --resume', () => {
  let reference: string;
  beforeAll(async () => {
    reference = mkdtempSync(join(tmpdir(), 'pikt-ref-'));
    const r = await start([...ARGS, '--out', reference]).done;
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);

  it('SIGKILL keeps finished runs; --resume computes only the rest and ends equal to an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-kill-'));
    const { exit, before } = await interrupt(dir, 'SIGKILL', 3);
    expect(exit.signal).toBe('SIGKILL');
    const all = readRuns(reference).map(([k]) => k);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(all.length);
    const resumed = await start([...ARGS, '--out', dir, '--resume']).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { computed: string[]; reused: string[] };
    // Finished runs are stored in completion order (parallel workers); reuse follows the plan.
    expect([...summary.reused].sort()).toEqual([...before].sort());
    expect([...summary.reused, ...summary.computed].sort()).toEqual([...all].sort());
    expect(summary.computed.some((k) => before.includes(k))).toBe(false);
    expect(comparable(dir)).toEqual(comparable(reference));
  }, 300_000);

  it('Ctrl-C (SIGINT) stops cleanly with exit 130 and a one-line reason, keeping finished runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-int-'));
    const { exit, before } = await interrupt(dir, 'SIGINT', 2);
    expect(exit.code).toBe(130);
    const kept = readRuns(dir).map(([k]) => k);
    expect(kept.length).toBeGreaterThanOrEqual(before.length);
    expect(exit.stderr).toContain(`interrupted; ${kept.length} finished run(s) are kept in ${join(dir, 'results.json')}. Rerun with --resume to continue.`);
    const again = await start([...ARGS, '--out', dir]).done;
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`pikt reproduce: ${dir} already holds results.json from an earlier run. Pass --resume to continue it, --force to start over, or choose another --out folder.`);
  }, 300_000);

  it('a missing data directory or an unknown flag fails before any work with one line', async () => {
    const missing = await start(['reproduce', '--preset', 'tiny', '--data-dir', '/no/such/dir', '--out', mkdtempSync(join(tmpdir(), 'pikt-x-'))]).done;
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('pikt reproduce: Data directory /no/such/dir does not exist. Pass --data-dir with the folder holding the dataset files, or leave it out to use the installed MNIST.\n');
    const flag = await start(['reproduce', '--presets', 'tiny']).done;
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('pikt reproduce: Unknown flag --presets. Run "pikt reproduce --help" for the flags it takes.\n');
  }, 60_000);
});
