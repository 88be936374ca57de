import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Peak memory is a property of a whole process, so the read runs in a child Node process on the
// built @pikt/datasets and reports process.resourceUsage().maxRSS (the kernel's peak RSS).
const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'pikt-gzip-bomb-'));
const GiB = 1024 ** 3;

beforeAll(() => {
  const b = spawnSync('pnpm', ['--filter', '@pikt/datasets...', 'run', 'build'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`building @pikt/datasets failed:\n${b.stdout}\n${b.stderr}`);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A valid CSV of at least 1 GiB once decompressed: 1024 gzip members of one >= 1 MiB block of rows (RFC 1952 allows concatenated members). */
function writeGzipBomb(path: string): number {
  const row = '0.1234567,-0.7654321,0.5000000,0.2500000,-0.1250000,0.0625000,0.0312500,-0.0156250\n';
  const block = row.repeat(Math.ceil((1 << 20) / row.length));
  const member = gzipSync(block, { level: 9 });
  const fd = openSync(path, 'w');
  for (let i = 0; i < 1024; i++) writeSync(fd, member);
  closeSync(fd);
  return block.length * 1024;
}

describe('readCsv on a gzip expanding to 1 GiB', () => {
  it('is refused at the size cap, with a peak RSS far below 1.5 GiB', () => {
    const file = join(dir, 'bomb.csv.gz');
    const expanded = writeGzipBomb(file);
    expect(expanded).toBeGreaterThan(0.99 * GiB);
    expect(statSync(file).size).toBeLessThan(16 << 20);
    const script = `
      const { readCsv } = await import(${JSON.stringify(join(root, 'packages/datasets/dist/index.js'))});
      const t0 = performance.now();
      let outcome;
      try { const t = await readCsv(${JSON.stringify(file)}); outcome = { rows: t.n, cols: t.d }; }
      catch (e) { outcome = { error: e.message, code: e.code }; }
      console.log(JSON.stringify({ ...outcome, ms: performance.now() - t0, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { error?: string; code?: string; ms: number; maxRssBytes: number };
    console.log(`gzip bomb: ${o.error ? 'refused' : 'read'} in ${(o.ms / 1000).toFixed(1)} s, peak RSS ${(o.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
    expect(o.code).toBe('PIKT_DATA_FORMAT');
    expect(o.error).toMatch(/bomb\.csv\.gz: file too large: expected at most 268435456 bytes \(256 MiB\) of text after decompression, found more once decompressed/);
    expect(o.maxRssBytes).toBeLessThan(1.5 * GiB);
  }, 300_000);
});
