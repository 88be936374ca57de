// Issue 3 acceptance: a run killed with SIGKILL mid-training and resumed ends with weights identical,
// bit for bit, to an uninterrupted run with the same seed and backend (wasm). Each run is a real
// `node` process running the trainer from a bundle of the workspace sources.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEventLog } from '@pikt/trainer';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let work: string;
let child: string;

/** @pikt/x -> packages/x/src/index.ts, as vitest's aliases do, so the bundle runs today's sources. */
function workspaceAliases(): Record<string, string> {
  const alias: Record<string, string> = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkg = join(root, 'packages', dir, 'package.json');
    const entry = join(root, 'packages', dir, 'src', 'index.ts');
    if (existsSync(pkg) && existsSync(entry)) alias[JSON.parse(readFileSync(pkg, 'utf8')).name] = entry;
  }
  return alias;
}

beforeAll(async () => {
  // Under tests/node_modules so that the external @tensorflow/* packages resolve as in an install.
  const cache = join(root, 'tests', 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  work = await mkdtemp(join(cache, 'pikt-trainer-resume-'));
  child = join(work, 'child.mjs');
  await build({
    entryPoints: [join(root, 'tests', 'fixtures', 'trainer-resume-child.ts')], bundle: true, platform: 'node', format: 'esm',
    outfile: child, external: ['@tensorflow/*'], alias: workspaceAliases(), logLevel: 'error',
  });
});
afterAll(async () => { if (work) await rm(work, { recursive: true, force: true }); });

interface Outcome { code: number | null; signal: NodeJS.Signals | null; lines: string[]; stderr: string }

/** Run the child; `killAt(line)` returning true sends SIGKILL right away. */
function runChild(args: string[], killAt?: (line: string) => boolean): Promise<Outcome> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [child, ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let buffered = '';
    p.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() as string;
      for (const line of parts) {
        lines.push(line);
        if (killAt?.(line) && p.exitCode === null) p.kill('SIGKILL');
      }
    });
    p.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    p.on('error', fail);
    p.on('close', (code, signal) => done({ code, signal, lines, stderr }));
  });
}

describe('SIGKILL mid-training, then resume (wasm, child processes)', () => {
  it('ends with weights bit-identical to an uninterrupted run', async () => {
    const [a, b] = [join(work, 'uninterrupted'), join(work, 'killed')];
    await Promise.all([mkdir(a), mkdir(b)]);
    const [full, killed] = await Promise.all([
      runChild(['fresh', a, join(a, 'weights.bin')]),
      runChild(['fresh', b, join(b, 'weights.bin')], (line) => /^checkpoint (\d+)$/.test(line) && Number(line.split(' ')[1]) >= 100),
    ]);
    expect(full.code, full.stderr).toBe(0);
    expect(full.lines.at(-1)).toMatch(/^done 400 0 W,a$/);
    // The second run really died mid-training: by SIGKILL, before its last step, with no output file.
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killed.lines.some((l) => l.startsWith('done'))).toBe(false);
    expect(existsSync(join(b, 'weights.bin'))).toBe(false);
    const manifest = JSON.parse(await readFile(join(b, 'checkpoint', 'checkpoint.json'), 'utf8'));
    expect(manifest.step).toBeGreaterThanOrEqual(100);
    expect(manifest.step).toBeLessThan(400);

    const resumed = await runChild(['resume', b, join(b, 'weights.bin')]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.lines.at(-1)).toBe(`done 400 ${manifest.step} W,a`);
    const wa = await readFile(join(a, 'weights.bin'));
    const wb = await readFile(join(b, 'weights.bin'));
    expect(wa.byteLength).toBe(4 * (512 * 16 + 512)); // W [m, d] and a [m, 1]
    expect(wb.equals(wa)).toBe(true);

    // The event log survived the kill: one run-start per process, and the losses after the resume
    // equal the uninterrupted run's, step for step.
    const events = await readEventLog(join(b, 'events.jsonl'));
    expect(events.filter((e) => e.type === 'run-start').map((e) => (e as { startStep: number }).startStep)).toEqual([0, manifest.step]);
    const loss = (evs: typeof events) => new Map(evs.filter((e) => e.type === 'step-end').map((e) => [(e as { step: number }).step, (e as { loss: number }).loss]));
    const lossA = loss(await readEventLog(join(a, 'events.jsonl')));
    const lossB = loss(events.slice(events.findIndex((e) => e.type === 'run-start' && (e as { startStep: number }).startStep > 0)));
    expect(lossB.size).toBe(400 - manifest.step);
    for (const [step, l] of lossB) expect(l).toBe(lossA.get(step));
    console.log(`[trainer sigkill] killed after the checkpoint at step ${manifest.step} (lines seen: ${killed.lines.length}), resumed to 400: ${wa.byteLength} bytes of weights identical`);
  });
});
