/**
 * Benchmark: float64 symmetric eigensolvers, pikt's own (Householder + implicit QL on its
 * WebAssembly SIMD kernels) beside NumPy's LAPACK (syevd through /usr/bin/python3), on the same
 * random symmetric matrices: wall and cpu seconds, reconstruction and orthogonality errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eigh, eighFactor } from '@pikt/linalg';
import { time } from './timing.js';

const sizes = [500, 1000, 2000];
const numpySource = `
import sys, time, numpy as np
n = int(sys.argv[2]); A = np.fromfile(sys.argv[1], dtype=np.float64).reshape(n, n)
t = time.perf_counter(); c = time.process_time(); w, V = np.linalg.eigh(A)
print(time.perf_counter() - t, time.process_time() - c, np.abs(V @ np.diag(w) @ V.T - A).max() / np.abs(A).max(), np.abs(V.T @ V - np.eye(n)).max())
`;
for (const n of sizes) {
  let s = 12345 + n;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) - 0.5;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { const v = rnd(); a[i * n + j] = v; a[j * n + i] = v; }
  const line: string[] = [`n = ${n}:`];
  if (n <= 1000) {
    const full = time(() => eigh(a));
    line.push(`pikt eigh (vectors) ${full.s.toFixed(2)} s wall / ${full.cpu.toFixed(2)} s cpu;`);
  }
  const fac = time(() => eighFactor(a));
  line.push(`pikt eighFactor ${fac.s.toFixed(2)} s / ${fac.cpu.toFixed(2)} s cpu;`);
  const dir = mkdtempSync(join(tmpdir(), 'pikt-eigh-'));
  try {
    writeFileSync(join(dir, 'A.f64'), Buffer.from(a.buffer));
    const r = spawnSync('/usr/bin/python3', ['-c', numpySource, join(dir, 'A.f64'), String(n)], { encoding: 'utf8' });
    if (r.status === 0) {
      const [wall, cpu, rec, orth] = r.stdout.trim().split(/\s+/).map(Number);
      line.push(`NumPy eigh ${wall.toFixed(2)} s / ${cpu.toFixed(2)} s cpu (reconstruction ${rec.toExponential(1)}, orthogonality ${orth.toExponential(1)})`);
    } else {
      line.push(`NumPy unavailable (${(r.stderr || '').trim().split('\n').pop()})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(line.join(' '));
}
