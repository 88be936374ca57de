/**
 * (e) the analysis at large n: runs packages/ntk's own large-n benchmark (`node bench/run.mjs
 * large-n`, n from PIKT_BENCH_N) so that whatever it gains is measured here, and reads its TOTAL
 * line (wall seconds, resident memory). Its progress lines are passed through.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CaseSize } from '../workloads.js';
import type { PiktWorkload } from './common.js';

const NTK_BENCH = fileURLToPath(new URL('../../packages/ntk/bench/', import.meta.url));
const TOTAL = /TOTAL n=(\d+): ([\d.]+) s wall, ([\d.]+) s cpu; rss ([\d.]+) GiB/;

/** Reads "TOTAL n=50000: 181.2 s wall, 300.1 s cpu; rss 5.61 GiB ..." from the benchmark's output. */
export function parseTotal(text: string): { n: number; wallS: number; cpuS: number; rssGiB: number } | undefined {
  const m = TOTAL.exec(text);
  return m ? { n: Number(m[1]), wallS: Number(m[2]), cpuS: Number(m[3]), rssGiB: Number(m[4]) } : undefined;
}

export async function setup(size: CaseSize): Promise<PiktWorkload> {
  const n = size.n;
  let last: ReturnType<typeof parseTotal>;
  return {
    info: { n, route: 'packages/ntk/bench/large-n.bench.ts: float32 block Gram, Lanczos + Gauss quadrature, CG' },
    run: () => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['run.mjs', 'large-n'], { cwd: NTK_BENCH, env: { ...process.env, PIKT_BENCH_N: String(n) }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; for (const l of s.split('\n')) if (l.trim()) process.stdout.write(`    | ${l}\n`); });
      child.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
      child.on('close', (code) => {
        last = parseTotal(out);
        if (code !== 0 || !last) reject(new Error(`large-n bench exited ${code}${last ? '' : ' without a TOTAL line'}: ${err.trim().split('\n').slice(-2).join(' | ')}`));
        else resolve({ ms: last.wallS * 1000, check: { rssGiB: last.rssGiB, cpuS: last.cpuS } });
      });
    }),
    dispose() { void last; },
  };
}
