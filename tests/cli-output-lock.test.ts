import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_MAIN as main, ROOT as root, buildCli } from './fixtures/built-cli.js';
import type { ResultsFile } from '@pikt/cli';

// Real processes race for one --out folder, so the test runs the built CLI (the build is
// incremental: seconds when nothing changed).
const ARGS = ['reproduce', '--preset', 'tiny', '--experiments', 'E1', '--skip-png', '--json'];

beforeAll(buildCli, 300_000);

interface Exit { pid: number; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function start(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<Exit> } {
  const child = spawn(process.execPath, [main, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<Exit>((res) => child.on('exit', (code, signal) => res({ pid: child.pid as number, code, signal, stdout, stderr })));
  return { child, done };
}

const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
const seedOf = (r: ResultsFile) => (r.config as { task: { seed: number } }).task.seed;

async function waitFor(cond: () => boolean, ms = 60_000): Promise<void> {
  for (let t = 0; t < ms / 20 && !cond(); t++) await new Promise((r) => setTimeout(r, 20));
}

describe('two reproduce into one --out', () => {
  it('started together, one wins and the other is refused naming the winner\'s pid; nothing is mixed (3 rounds)', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'pikt-race-'));
      const [a, b] = await Promise.all([start([...ARGS, '--out', dir, '--seed', '11']).done, start([...ARGS, '--out', dir, '--seed', '22']).done]);
      const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
      expect(winner.code, winner.stderr).toBe(0);
      expect(loser.code).toBe(1);
      expect(loser.stderr).toMatch(new RegExp(`^pikt reproduce: ${join(dir, '.pikt-lock').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is held by pikt reproduce \\(pid ${winner.pid} on .*\\)\\. Wait for process ${winner.pid} to finish`));
      const r = results(dir);
      expect(seedOf(r)).toBe(winner === a ? 11 : 22);
      // Every run of the file is the winner's: its --json lists exactly the runs in results.json.
      const summary = JSON.parse(winner.stdout) as { computed: string[] };
      // results.json is in plan order, computed in completion order (parallel workers): same set.
      expect(Object.entries(r.experiments).flatMap(([id, e]) => e.runs.map((x) => `${id}/${x.label}`)).sort()).toEqual([...summary.computed].sort());
      expect(existsSync(join(dir, '.pikt-lock'))).toBe(false);
    }
  }, 300_000);

  it('a second start while the first runs is refused at once; --json of the first carries its numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-lock-'));
    const first = start([...ARGS, '--out', dir, '--seed', '5']);
    await waitFor(() => existsSync(join(dir, '.pikt-lock')));
    const second = await start([...ARGS, '--out', dir, '--seed', '6', '--force']).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`(pid ${first.child.pid} on `);
    const a = await first.done;
    expect(a.code, a.stderr).toBe(0);
    expect(seedOf(results(dir))).toBe(5);
    const out = JSON.parse(a.stdout) as { experiments: Record<string, { runs: Array<{ label: string; measured: Record<string, number> }>; verdicts: unknown[] }>; warnings: string[] };
    const stored = results(dir).experiments.E1.runs;
    expect(out.experiments.E1.runs.map((x) => [x.label, x.measured.labelErrorFinal])).toEqual(stored.map((x) => [x.label, x.measured.labelErrorFinal]));
    expect(out.experiments.E1.runs.every((x) => Number.isFinite(x.measured.labelErrorFinal))).toBe(true);
    expect(out.experiments.E1.verdicts.length).toBeGreaterThan(0);
    expect(out.warnings).toEqual([]);
  }, 300_000);

  it('a lock left by a SIGKILLed run is reported and replaced by --resume', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-stale-'));
    const first = start([...ARGS, '--out', dir]);
    // Killed once the lock holds its pid (an empty lock, killed between open and write, is the guard test's case).
    await waitFor(() => { try { return JSON.parse(readFileSync(join(dir, '.pikt-lock'), 'utf8')).pid > 0; } catch { return false; } });
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(join(dir, '.pikt-lock'), 'utf8')).pid).toBe(killed.pid);
    const again = await start([...ARGS, '--out', dir, existsSync(join(dir, 'results.json')) ? '--resume' : '--json']).done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`pikt reproduce: note: a lock left by pikt reproduce (pid ${killed.pid}, started `);
    expect(again.stderr).toContain('no longer running) was found in');
  }, 300_000);
});
