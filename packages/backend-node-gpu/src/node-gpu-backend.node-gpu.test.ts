// node-gpu (tfjs-backend-webgpu on Dawn) on the adapter this machine has (here: SwiftShader's
// Vulkan ICD, software): the backend conformance suite and the adapter report. The model and
// regularizer suites and the agreement with cpu: tests/gpu-backends.node-gpu.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pikt/core';
import { describeBackendConformance } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { nodeGpuUnderTest } from '../../../tools/vitest/node-gpu-under-test.js';

const gpu = await nodeGpuUnderTest();

/** C = A B in float64 (row-major, A [n, k], B [k, m]): the reference the GPU product is held to. */
function matMulF64(a: Float32Array, b: Float32Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) { const v = a[i * k + p]; for (let j = 0; j < m; j++) c[i * m + j] += v * b[p * m + j]; }
  return c;
}

describe.skipIf(gpu.skipReason !== undefined)('node-gpu on this machine', () => {
  describeBackendConformance(() => gpu.adapter);

  it('reports the adapter, float32, and leaves getBackend() on webgpu', async () => {
    const active = await gpu.adapter.activate();
    expect(active.tfBackendName).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(active.features.floatPrecision).toBe(32);
    const report = active.features.adapter as { kind: string; via: string; description: string };
    expect(['software', 'hardware']).toContain(report.kind);
    expect(active.features.software).toBe(report.kind === 'software');
    expect(active.features.device).toContain(` via ${report.via}`);
  });

  it('a 256x256 matMul matches float64 within 1e-5 relative (Frobenius)', async () => {
    await gpu.adapter.activate();
    const rng = createRng(256);
    const a = rng.fillNormal(new Float32Array(256 * 256));
    const b = rng.fillNormal(new Float32Array(256 * 256));
    const t = tf.tidy(() => tf.matMul(tf.tensor2d(a, [256, 256]), tf.tensor2d(b, [256, 256])));
    const got = await t.data();
    t.dispose();
    const ref = matMulF64(a, b, 256, 256, 256);
    let num = 0;
    let den = 0;
    for (let i = 0; i < ref.length; i++) { num += (got[i] - ref[i]) ** 2; den += ref[i] ** 2; }
    // Sums of 256 float32 products: ~sqrt(256) * 6e-8 = 1e-6 relative.
    expect(Math.sqrt(num / den)).toBeLessThan(1e-5);
  });

  it('dispose removes navigator.gpu and the backend; activate works again after', async () => {
    await gpu.adapter.activate();
    await gpu.adapter.dispose();
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
    expect(tf.findBackend('webgpu')).toBeNull();
    const again = await gpu.adapter.activate();
    expect(again.tfBackendName).toBe('webgpu');
    const t = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])));
    expect(Array.from(await t.data())).toEqual([4, 6]);
    t.dispose();
  });
});
