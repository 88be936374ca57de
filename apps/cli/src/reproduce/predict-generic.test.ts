import { describe, expect, it } from 'vitest';
import { integrateOutputs, klGradient } from './predict-generic.js';

describe('integrateOutputs', () => {
  it('reproduces the closed form u(k) = ybar + (I - s H)^k (u0 - ybar) for the quadratic objective', () => {
    // Diagonal H: each coordinate decays independently, u_i(k) = ybar_i (1 - (1 - s h_i)^k).
    const n = 3;
    const h = [0.5, 0.2, 0.05];
    const H = new Float64Array(n * n);
    h.forEach((v, i) => { H[i * n + i] = v; });
    const y = Float64Array.from([1, -1, 1]);
    const z = Float64Array.from([0.5, -0.2, 2]);
    const lambda = 1;
    const eta = 0.7;
    const ybar = y.map((v, i) => (v + lambda * z[i]) / (1 + lambda));
    const hTest = Float64Array.from([1, 0, 0]); // one test point seeing only coordinate 0
    const { trajectory, test } = integrateOutputs({ H, n, hTest, nTest: 1, eta, steps: 20, grad: (u) => u.map((v, i) => (v - y[i]) + lambda * (v - z[i])) });
    const s = eta * (1 + lambda);
    for (const k of [0, 1, 7, 20]) {
      trajectory[k].forEach((v, i) => expect(v).toBeCloseTo(ybar[i] * (1 - (1 - s * h[i]) ** k), 12));
      // f_k = H(x*, X) H^-1 (u(k) - u0) for this hTest: u_0(k) / h_0.
      expect(test[k][0]).toBeCloseTo(trajectory[k][0] / h[0], 12);
    }
  });
});

describe('klGradient', () => {
  it('is the gradient of @pikt/regularizers hintonKl for one output', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const { createCpuBackend } = await import('@pikt/backend-cpu');
    const { hintonKl } = await import('@pikt/regularizers');
    await createCpuBackend().activate();
    const u = [0.3, -1.2, 2.5];
    const z = [1.1, -0.4, -0.7];
    const term = hintonKl({ weight: 1.5, temperature: 2 });
    const zt = tf.tensor2d(z, [3, 1]);
    const g = tf.grad((ut: tf.Tensor) => term.compute({ studentLogits: ut as tf.Tensor2D, teacherLogits: zt }))(tf.tensor2d(u, [3, 1]));
    const got = Array.from(g.dataSync());
    u.forEach((v, i) => expect(klGradient(v, z[i], 1.5, 2)).toBeCloseTo(got[i], 5));
    tf.dispose([zt, g]);
  });
});
