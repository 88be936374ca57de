import * as tf from '@tensorflow/tfjs-core';
import { createRng, type BackendAdapterV1 } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '../expect-no-tensor-leak.js';
import { expectTensorClose } from '../expect-tensor-close.js';
import { matMulF64 } from '../reference.js';
import { readAndDispose, readScalar } from '../read-back.js';

/**
 * Conformance suite for `BackendAdapterV1`: probe says supported, activation is idempotent and makes
 * the backend current, and the ops pikt relies on (matMul, transpose, relu, step masks, sums, exp)
 * agree with a float64 reference within the backend's tolerance, without leaking tensors.
 */
export function describeBackendConformance(makeAdapter: () => BackendAdapterV1): void {
  describe(`backend conformance: ${makeAdapter().id}`, () => {
    it('probe reports supported with a float precision', async () => {
      const probe = await makeAdapter().probe();
      expect(probe.supported, probe.supported ? '' : probe.reason).toBe(true);
      if (probe.supported) expect([16, 32]).toContain(probe.features.floatPrecision);
    });

    it('activate is idempotent and makes the backend current', async () => {
      const adapter = makeAdapter();
      const a = await adapter.activate();
      const b = await adapter.activate();
      expect(b.tfBackendName).toBe(a.tfBackendName);
      expect(tf.getBackend()).toBe(a.tfBackendName);
    });

    it('matMul of 96x80 by 80x64 matches a float64 reference', async () => {
      await makeAdapter().activate();
      const rng = createRng(7);
      const a = rng.fillNormal(new Float32Array(96 * 80));
      const b = rng.fillNormal(new Float32Array(80 * 64));
      const ref = matMulF64(a, b, 96, 80, 64);
      const got = await readAndDispose(tf.tidy(() => tf.matMul(tf.tensor2d(a, [96, 80]), tf.tensor2d(b, [80, 64]))));
      // Entries are sums of 80 products of N(0,1): absolute error scales with sqrt(80) * 6e-8.
      expectTensorClose(got, ref, { rtol: 1e-4, atol: 1e-4 });
    });

    it('transpose, relu, step mask, sum and exp agree with float64', async () => {
      await makeAdapter().activate();
      const rng = createRng(8);
      const x = rng.fillNormal(new Float32Array(12 * 5));
      const t = tf.tensor2d(x, [12, 5]);
      const out = {
        tr: await readAndDispose(tf.transpose(t)),
        relu: await readAndDispose(tf.relu(t)),
        step: await readAndDispose(tf.tidy(() => tf.cast(tf.greaterEqual(t, 0), 'float32'))),
        sum: await readScalar(tf.sum(t)),
        exp: await readAndDispose(tf.exp(t)),
      };
      t.dispose();
      const tr = new Float64Array(60);
      for (let i = 0; i < 12; i++) for (let j = 0; j < 5; j++) tr[j * 12 + i] = x[i * 5 + j];
      expectTensorClose(out.tr, tr, { rtol: 0, atol: 0 });
      expectTensorClose(out.relu, Array.from(x, (v) => Math.max(v, 0)), { rtol: 0, atol: 0 });
      expectTensorClose(out.step, Array.from(x, (v) => (v >= 0 ? 1 : 0)), { rtol: 0, atol: 0 });
      expectTensorClose(out.sum, Array.from(x).reduce((s, v) => s + v, 0), { rtol: 1e-5, atol: 1e-5 });
      expectTensorClose(out.exp, Array.from(x, Math.exp), { rtol: 1e-5, atol: 1e-6 });
    });

    it('tidy releases intermediate tensors', async () => {
      await makeAdapter().activate();
      await expectNoTensorLeak(async () => {
        expect(await readScalar(tf.tidy(() => tf.sum(tf.mul(tf.ones([64, 64]), tf.scalar(2)))))).toBe(8192);
      }, 'tidy block');
    });
  });
}
