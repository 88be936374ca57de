// A whole `pikt distill` run (the README's example config, smaller) on node-gpu (tfjs-backend-webgpu
// on Dawn; a software adapter on CI machines) against the same run on wasm.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeGpuUnderTest } from '../../../../tools/vitest/node-gpu-under-test.js';
import { releaseBackends } from '../backends.js';
import { runCli } from '../cli.js';
import { COMMANDS } from './index.js';

const gpu = await nodeGpuUnderTest();
const dir = mkdtempSync(join(tmpdir(), 'pikt-distill-gpu-'));
// The README's example: MNIST 3 vs 5, an MLP teacher, a wide student on label fit + quadratic PI.
writeFileSync(join(dir, 'exp.json'), JSON.stringify({
  data: { dataset: 'mnist', classes: [3, 5], trainPerClass: 16, testPerClass: 16, teacherPerClass: 32, pcaDim: 12, seed: 1 },
  teacher: { hidden: 32, steps: 10, lr: 0.01, trainFraction: 1 },
  experiment: {
    model: { id: 'wide-student', options: { width: 128 } },
    terms: [{ id: 'label-fit' }, { id: 'quadratic-pi', name: 'pi', options: { lambda: 1 } }],
    optimizer: { kind: 'gd', lr: 0.05 }, steps: 20, seed: 1, evalEvery: 10,
  },
}));

async function distill(backend: string): Promise<{ code: number; err: string; summary: Record<string, unknown> & { finalLoss: number; train: Record<string, number>; test: Record<string, number> } }> {
  let err = '';
  const code = await runCli(['distill', '--config', 'exp.json', '--backend', backend, '--out', `${backend}.json`],
    COMMANDS, { cwd: dir, isTTY: false, stdout: { write: () => undefined }, stderr: { write: (s: string) => { err += s; } } });
  await releaseBackends();
  return { code, err, summary: code === 0 ? JSON.parse(readFileSync(join(dir, `${backend}.json`), 'utf8')) : {} as never };
}

describe.skipIf(gpu.skipReason !== undefined)('pikt distill --backend node-gpu', () => {
  it('completes and agrees with wasm: final loss, label and teacher errors within 1e-4 relative, same test accuracy', async () => {
    const onGpu = await distill('node-gpu');
    expect(onGpu.err).not.toMatch(/pikt distill:/);
    expect(onGpu.code).toBe(0);
    const onWasm = await distill('wasm');
    expect(onWasm.code).toBe(0);
    expect(onGpu.summary.backend).toBe('node-gpu');
    expect(onGpu.summary.steps).toBe(20);
    // Both runs see the same float32 inputs; the teacher (10 Adam steps) and the student (20 GD
    // steps inside the stability bound) only carry float32 summation-order differences (~1e-6
    // relative per step, measured 1e-7 for the GD step) forward without amplifying them.
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    const diffs = {
      finalLoss: rel(onGpu.summary.finalLoss, onWasm.summary.finalLoss),
      labelError: rel(onGpu.summary.train.labelError, onWasm.summary.train.labelError),
      teacherError: rel(onGpu.summary.train.teacherError, onWasm.summary.train.teacherError),
    };
    console.log(`distill node-gpu vs wasm relative differences: ${JSON.stringify(diffs)}`);
    for (const [k, v] of Object.entries(diffs)) expect(v, k).toBeLessThan(1e-4);
    expect(onGpu.summary.test.accuracy).toBe(onWasm.summary.test.accuracy);
  });
});
