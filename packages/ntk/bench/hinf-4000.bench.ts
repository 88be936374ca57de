/**
 * Benchmark: Hinf (float64) of n = 4000 MNIST images (unit-norm, d = 784), pikt on 1 and 2 threads
 * beside NumPy's X X^T + arccos route (hinf_numpy.py, /usr/bin/python3), alternating, medians.
 * Usage: node hinf-4000.mjs [n] [reps] (default 4000, 5).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hinf } from '../src/index.js';
import { mnistBinary } from './mnist.js';
import { time } from './timing.js';

const n = Number(process.argv[2] ?? 4000);
const reps = Number(process.argv[3] ?? 5);
const { x, d } = mnistBinary(n);
const x64 = Float64Array.from(x);
const dir = mkdtempSync(join(tmpdir(), 'pikt-hinf-bench-'));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const runs: Record<string, number[]> = { 'pikt, 1 thread': [], 'pikt, 2 threads': [], NumPy: [] };
const cpu: Record<string, number[]> = { 'pikt, 1 thread': [], 'pikt, 2 threads': [] };
const sums: number[] = [];
let numpy = '';
try {
  writeFileSync(join(dir, 'x.f64'), Buffer.from(x64.buffer));
  for (let r = 0; r < reps; r++) {
    for (const threads of [1, 2]) {
      const t = time(() => hinf(x64, null, { inputDim: d, threads, onWarning: () => {} }).data);
      const key = `pikt, ${threads} thread${threads > 1 ? 's' : ''}`;
      runs[key].push(t.s);
      cpu[key].push(t.cpu);
      sums[threads - 1] = t.value.reduce((s, v) => s + v, 0);
    }
    const p = spawnSync('/usr/bin/python3', [join(process.cwd(), 'hinf_numpy.py'), join(dir, 'x.f64'), String(n), String(d), '1'], { encoding: 'utf8' });
    if (p.status !== 0) { console.log(`NumPy unavailable: ${(p.stderr || '').trim().split('\n').pop()}`); continue; }
    const j = JSON.parse(p.stdout.trim().split('\n').pop() as string);
    runs.NumPy.push(j.median_s);
    numpy = `NumPy ${j.numpy}`;
    sums[2] = j.sum;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`Hinf n = ${n}, d = ${d}, float64, median of ${reps} (alternating)`);
for (const [k, v] of Object.entries(runs)) if (v.length) console.log(`${(k === 'NumPy' ? numpy : k).padEnd(16)}: ${median(v).toFixed(3)} s wall${cpu[k] ? `, ${median(cpu[k]).toFixed(3)} s cpu` : ''}`);
if (runs.NumPy.length) console.log(`pikt (2 threads) / NumPy: ${(median(runs['pikt, 2 threads']) / median(runs.NumPy)).toFixed(2)}; checksums ${sums.map((s) => s.toPrecision(14)).join(' / ')}`);
