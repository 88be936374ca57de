// node-gpu (tfjs-backend-webgpu on Dawn) on the adapter this machine has: conformance suites and the
// agreement checks against cpu. Here that is a software adapter (SwiftShader's Vulkan ICD).
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import { hintonKl, labelFit, quadraticPi } from '@pikt/regularizers';
import { describeBackendConformance, describeModelConformance, describeRegularizerConformance, matMulF64 } from '@pikt/testkit';
import type { Rng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { describeCpuAgreement, relativeError } from '../../../tools/vitest/cpu-agreement.js';
import { nodeGpuUnderTest } from '../../../tools/vitest/node-gpu-under-test.js';

const gpu = await nodeGpuUnderTest();
const activate = () => gpu.adapter.activate();

describe.skipIf(gpu.skipReason !== undefined)('node-gpu on this machine', () => {
  describeBackendConformance(() => gpu.adapter);

  describe('with node-gpu active', () => {
    const normal = (rng: Rng, rows: number, cols: number) => tf.tensor2d(rng.fillNormal(new Float32Array(rows * cols)), [rows, cols]);
    // Conformance suites read with await data(); the backend must be current when they run.
    it('activates and reports the adapter', async () => {
      const active = await activate();
      expect(active.tfBackendName).toBe('webgpu');
      expect(tf.getBackend()).toBe('webgpu');
      expect(active.features.floatPrecision).toBe(32);
      expect(['software', 'hardware']).toContain((active.features.adapter as { kind: string }).kind);
    });
    describeModelConformance({ model: createWideStudent({ width: 32, blockSize: 6, features: 'hidden' }), io: { inputDim: 5, outputDim: 2 } });
    describeRegularizerConformance({ factory: quadraticPi, options: { lambda: 2 }, makeInput: (rng) => ({ studentLogits: normal(rng, 6, 3), teacherLogits: normal(rng, 6, 3) }) });
    describeRegularizerConformance({ factory: labelFit, options: { loss: 'cross-entropy' }, makeInput: (rng) => ({ studentLogits: normal(rng, 6, 4), labels: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 0], 'int32'), 4), 'float32')) as tf.Tensor2D }) });
    describeRegularizerConformance({ factory: hintonKl, options: { temperature: 3 }, makeInput: (rng) => ({ studentLogits: normal(rng, 6, 5), teacherLogits: normal(rng, 6, 5) }) });

    it('a 256x256 matMul matches float64 within 1e-5 relative (Frobenius)', async () => {
      await activate();
      const rng = createRng(256);
      const a = rng.fillNormal(new Float32Array(256 * 256));
      const b = rng.fillNormal(new Float32Array(256 * 256));
      const t = tf.tidy(() => tf.matMul(tf.tensor2d(a, [256, 256]), tf.tensor2d(b, [256, 256])));
      const got = await t.data();
      t.dispose();
      // Sums of 256 float32 products: ~sqrt(256) * 6e-8 = 1e-6 relative.
      expect(relativeError(got, matMulF64(a, b, 256, 256, 256))).toBeLessThan(1e-5);
    });
  });

  describeCpuAgreement('node-gpu', activate);
});
