#!/usr/bin/env node
// Benchmark (issue 12, docs/scale-out.md): throughput of `pikt sweep --queue` with 1, 2 and 4
// `pikt worker` processes on loopback, against a private redis-server (free port, temp dir, no
// persistence). Each count gets a fresh database; workers are started and ready before the clock
// starts; each worker trains the sweep's teacher once itself (part of the measured time).
// Usage: node apps/cli/bench/queue-throughput.mjs [workers...]   (default 1 2 4)
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const counts = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1, 2, 4];
const grid = ['--preset', 'tiny', '--grid', 'lambda=0.25,0.5,1,2', '--grid', 'width=256,512', '--seeds', '2'];
const port = await new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const dir = mkdtempSync(join(tmpdir(), 'pikt-bench-redis-'));
execFileSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'yes', '--logfile', join(dir, 'log')]);
for (let i = 0; i < 50 && spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() !== 'PONG'; i++) execFileSync('sleep', ['0.1']);
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
console.log(`bench queue throughput: tiny preset, 16 runs, ${cpus().length} cores, load average before ${load()}`);
try {
  for (const [i, n] of counts.entries()) {
    const url = `redis://127.0.0.1:${port}/${i + 1}`;
    const workers = Array.from({ length: n }, () => spawn(process.execPath, [main, 'worker', '--queue', url], { stdio: ['ignore', 'ignore', 'pipe'] }));
    await Promise.all(workers.map((w) => new Promise((r) => { let e = ''; w.stderr.on('data', (d) => { e += d; if (e.includes('taking runs')) r(); }); })));
    const out = mkdtempSync(join(tmpdir(), 'pikt-bench-sweep-'));
    const started = performance.now();
    const r = spawnSync(process.execPath, [main, 'sweep', ...grid, '--out', out, '--queue', url, '--skip-png'], { encoding: 'utf8' });
    const wall = (performance.now() - started) / 1000;
    for (const w of workers) w.kill('SIGINT');
    await Promise.all(workers.map((w) => new Promise((res) => w.on('exit', res))));
    rmSync(out, { recursive: true, force: true });
    if (r.status !== 0) { console.error(r.stderr); process.exit(1); }
    console.log(`  ${n} worker process(es): ${wall.toFixed(1)} s for 16 runs, ${(16 / wall * 60).toFixed(1)} runs/min (load average after ${load()})`);
  }
} finally {
  spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
  rmSync(dir, { recursive: true, force: true });
}
