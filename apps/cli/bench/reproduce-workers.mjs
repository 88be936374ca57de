#!/usr/bin/env node
// Benchmark (issue 12): `pikt reproduce --preset quick` on 1 worker (this thread) and on 2 worker
// threads, measured in one invocation on this machine, with the load average beside it (the
// machine may be shared). Prints both wall times, their ratio (target <= 0.6), and checks that
// both runs wrote the same numbers. Usage: node apps/cli/bench/reproduce-workers.mjs [preset] [workers...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const preset = process.argv[2] ?? 'quick';
const counts = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [1, 2];
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const numbers = (dir) => {
  const f = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  return JSON.stringify(Object.fromEntries(Object.entries(f.experiments).map(([id, e]) => [id, e.runs.map((r) => [r.label, r.measured, r.predicted, r.curves])])));
};
console.log(`bench reproduce --preset ${preset}: ${cpus().length} cores, load average before ${load()}`);
const rows = [];
for (const n of counts) {
  const out = mkdtempSync(join(tmpdir(), `pikt-bench-w${n}-`));
  const started = performance.now();
  const r = spawnSync(process.execPath, [main, 'reproduce', '--preset', preset, '--out', out, '--force', '--skip-png', '--workers', String(n)], { encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) { console.error(r.stderr.split('\n').slice(-3).join('\n')); process.exit(1); }
  rows.push({ n, wall, out, load: load() });
  console.log(`  --workers ${n}: ${wall.toFixed(1)} s wall (load average after ${load()})`);
}
const base = rows[0];
for (const r of rows.slice(1)) console.log(`  ratio ${r.n} vs ${base.n} worker(s): ${(r.wall / base.wall).toFixed(3)} (target <= 0.6 for 2 vs 1)`);
const same = rows.every((r) => numbers(r.out) === numbers(base.out));
console.log(`  numbers identical across worker counts: ${same}`);
if (!process.env.PIKT_BENCH_KEEP) for (const r of rows) rmSync(r.out, { recursive: true, force: true });
else console.log(`  kept: ${rows.map((r) => r.out).join(' ')}`);
process.exit(same ? 0 : 1);
