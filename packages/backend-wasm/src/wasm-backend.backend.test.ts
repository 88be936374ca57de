import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pikt/core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { describeBackendConformance } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from './wasm-backend.js';

describeBackendConformance(() => createWasmBackend());

describe('wasm backend', () => {
  it('reports SIMD on and threads off in Node', async () => {
    const active = await createWasmBackend().activate();
    expect(active.features.simd).toBe(true);
    expect(active.features.threads).toBe(false);
  });

  it('matMul of random 256x256 matrices equals cpu within 1e-5 relative', async () => {
    const rng = createRng(256);
    const a = rng.fillNormal(new Float32Array(256 * 256));
    const b = rng.fillNormal(new Float32Array(256 * 256));
    const product = () => tf.tidy(() => tf.matMul(tf.tensor2d(a, [256, 256]), tf.tensor2d(b, [256, 256])).dataSync());
    await createWasmBackend().activate();
    const wasm = product();
    await createCpuBackend().activate();
    const cpu = product();
    await createWasmBackend().activate();
    // Relative error in the Frobenius norm, the usual meaning of "relative" for a matrix.
    let num = 0;
    let den = 0;
    for (let i = 0; i < cpu.length; i++) { num += (wasm[i] - cpu[i]) ** 2; den += cpu[i] ** 2; }
    const rel = Math.sqrt(num / den);
    expect(rel).toBeLessThan(1e-5);
    expect(rel).toBeGreaterThanOrEqual(0);
  });
});
