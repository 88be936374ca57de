// Issue 12 acceptance: the same sweep (tiny preset, 2 lambdas x 2 widths x 2 seeds) on worker
// threads and on BullMQ workers through Redis gives identical numbers per fingerprint, and the
// distributed sweep survives a worker SIGKILLed mid-run, a coordinator SIGKILLed and rerun, and a
// Redis restart (append-only file on). Workers and coordinators are real `pikt` processes (the
// built CLI, apps/cli/dist: tools/setup.sh builds it before the tests).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_REDIS, startTestRedis } from '../packages/runner/src/testing/redis-server.js';
import type { TestRedis } from '../packages/runner/src/testing/redis-server.js';

const MAIN = fileURLToPath(new URL('../apps/cli/dist/main.js', import.meta.url));
const GRID = ['sweep', '--preset', 'tiny', '--grid', 'lambda=0.5,1', '--grid', 'width=128,512', '--seeds', '2', '--skip-png', '--json'];
const KEYS = { results: 'pikt:runs:results', starts: 'pikt:runs:starts', executions: 'pikt:runs:executions' };
if (!HAVE_REDIS) console.warn('cli-sweep-queue: redis-server not found (apt-get install redis-server, as tools/setup.sh does): skipped (in CI it runs and fails).');

interface Proc { child: ChildProcess; out: string; err: string; exit: Promise<number | null> }
const procs: Proc[] = [];
function pikt(args: string[]): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, out: '', err: '', exit: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => { p.out += d; });
  child.stderr!.on('data', (d) => { p.err += d; });
  procs.push(p);
  return p;
}
const worker = (url: string) => pikt(['worker', '--queue', url, '--lock-ms', '1500']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) { if (Date.now() > end) throw new Error(`timed out waiting for ${what}`); await sleep(100); }
}
interface SweepFile { runs: Array<{ fingerprint: string; params: unknown; seed: number; measured: Record<string, unknown>; predicted: Record<string, unknown>; failure?: unknown }> }
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as SweepFile;
const numbers = (f: SweepFile) => Object.fromEntries(f.runs.map((r) => [r.fingerprint, { params: r.params, seed: r.seed, measured: r.measured, predicted: r.predicted }]));

describe.skipIf(!HAVE_REDIS && !process.env.CI)('pikt sweep through Redis', () => {
  let redis: TestRedis;
  let reference: SweepFile;
  const url = (db: number) => `${redis.url}/${db}`;
  const db = (n: number) => new Redis({ port: redis.port, host: '127.0.0.1', db: n });

  beforeAll(async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    redis = await startTestRedis({ appendOnly: true });
    const dir = mkdtempSync(join(tmpdir(), 'pikt-sweep-threads-'));
    const p = pikt([...GRID, '--out', dir, '--workers', '2']);
    expect(await p.exit, p.err).toBe(0);
    reference = read(dir);
  }, 180_000);
  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    redis?.destroy();
  });

  it('on two worker processes gives the thread pool\'s numbers, per fingerprint, each run once', async () => {
    expect(reference.runs).toHaveLength(8);
    const dir = mkdtempSync(join(tmpdir(), 'pikt-sweep-queue-'));
    const ws = [worker(url(1)), worker(url(1))];
    const c = pikt([...GRID, '--out', dir, '--queue', url(1)]);
    expect(await c.exit, c.err).toBe(0);
    expect(numbers(read(dir))).toEqual(numbers(reference));
    const r = db(1);
    expect(Object.values(await r.hgetall(KEYS.executions))).toEqual(Array(8).fill('1'));
    r.disconnect();
    for (const w of ws) w.child.kill('SIGINT');
    expect(await Promise.all(ws.map((w) => w.exit))).toEqual([0, 0]);
  }, 180_000);

  it('finishes a run on the other worker when one is SIGKILLed mid-run; results.json has each run once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-sweep-kill-'));
    const r = db(2);
    const a = worker(url(2));
    const c = pikt([...GRID, '--out', dir, '--queue', url(2)]);
    // Kill worker a while it holds a run: started, no result yet.
    let victim = '';
    await until('a run in progress on worker a', async () => {
      const [starts, results] = await Promise.all([r.hgetall(KEYS.starts), r.hgetall(KEYS.results)]);
      victim = Object.keys(starts).find((fp) => !(fp in results)) ?? '';
      return victim !== '';
    });
    a.child.kill('SIGKILL');
    const b = worker(url(2));
    expect(await c.exit, c.err).toBe(0);
    const file = read(dir);
    expect(file.runs.map((x) => x.fingerprint).sort()).toEqual(reference.runs.map((x) => x.fingerprint).sort());
    expect(numbers(file)).toEqual(numbers(reference));
    expect(Number(await r.hget(KEYS.starts, victim))).toBeGreaterThanOrEqual(2);
    expect(await r.hget(KEYS.executions, victim)).toBe('1');
    r.disconnect();
    b.child.kill('SIGINT');
    await b.exit;
  }, 180_000);

  it('resumes without recomputing finished runs when the coordinator is SIGKILLed and rerun', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-sweep-coord-'));
    const r = db(3);
    const w = worker(url(3));
    const first = pikt([...GRID, '--out', dir, '--queue', url(3)]);
    await until('two finished runs', async () => (await r.hlen(KEYS.results)) >= 2);
    first.child.kill('SIGKILL');
    await first.exit;
    const second = pikt([...GRID, '--out', dir, '--queue', url(3)]);
    expect(await second.exit, second.err).toBe(0);
    expect(numbers(read(dir))).toEqual(numbers(reference));
    expect(Object.values(await r.hgetall(KEYS.executions))).toEqual(Array(8).fill('1'));
    r.disconnect();
    w.child.kill('SIGINT');
    await w.exit;
  }, 180_000);

  it('completes a sweep across a restart of redis-server (append-only file on)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-sweep-restart-'));
    const r = db(4);
    const w = worker(url(4));
    const c = pikt([...GRID, '--out', dir, '--queue', url(4)]);
    await until('a finished run', async () => (await r.hlen(KEYS.results).catch(() => 0)) >= 1);
    r.disconnect();
    redis.stop();
    await sleep(500);
    redis.start();
    expect(await c.exit, c.err).toBe(0);
    expect(numbers(read(dir))).toEqual(numbers(reference));
    w.child.kill('SIGINT');
    await w.exit;
  }, 180_000);
});
