// The gpu-check bundle, built and run here on the software adapter (--software-ok --small): it must
// be self-contained (run from a copy outside the repo), refuse a software adapter by default, and
// print the table beside wasm.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeGpuUnderTest } from '../vitest/node-gpu-under-test.js';

const gpu = await nodeGpuUnderTest();
const copy = mkdtempSync(join(tmpdir(), 'pikt-gpu-check-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe.skipIf(gpu.skipReason !== undefined)('tools/gpu-check bundle', () => {
  it('builds, runs outside the repo, refuses a software adapter by default and prints the table with --software-ok', () => {
    execFileSync(process.execPath, [join(import.meta.dirname, 'build.mjs')], { stdio: 'pipe' });
    cpSync(join(import.meta.dirname, 'bundle'), copy, { recursive: true });
    const strict = spawnSync(process.execPath, ['gpu-check.mjs', '--small'], { cwd: copy, encoding: 'utf8' });
    expect(strict.status).toBe(1);
    expect(strict.stdout).toMatch(/^gpu-check: FAIL no hardware adapter: no usable WebGPU adapter \(tried .*software adapter not allowed/m);
    const r = spawnSync(process.execPath, ['gpu-check.mjs', '--software-ok', '--small', '--no-checks', '--json-out', join(copy, 'out.json')], { cwd: copy, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/Error:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^node-gpu adapter: .+ \(software\)$/m);
    const out = JSON.parse(readFileSync(join(copy, 'out.json'), 'utf8')) as { ok: boolean; table: Array<{ what: string; nodeGpu: number; wasm: number }> };
    expect(out.ok).toBe(true);
    expect(out.table.map((row) => row.what)).toEqual(['matmul 128x128x128', 'matmul 256x256x256', 'one GD step, n=64 d=16 m=256',
      'one empirical Gram of that student (n=64)', '10-step distillation, n=32 d=8 m=256']);
    for (const row of out.table) {
      expect(row.nodeGpu, row.what).toBeGreaterThan(0);
      expect(row.wasm, row.what).toBeGreaterThan(0);
    }
  });
});
