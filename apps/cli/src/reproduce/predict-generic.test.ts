import { beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '@pikt/backend-cpu';
import { hintonKl, labelFit, quadraticPi } from '@pikt/regularizers';
import * as tf from '@tensorflow/tfjs-core';
import { predictWithTerms } from './predict-generic.js';

beforeAll(async () => { await createCpuBackend().activate(); });

// A diagonal H: each output decays on its own, so the references are closed forms or scalar loops.
const n = 3;
const h = [0.5, 0.2, 0.05];
const H = new Float64Array(n * n);
h.forEach((v, i) => { H[i * n + i] = v; });
const hTest = Float64Array.from([1, 0, 0]); // one test point that sees only training point 0
const y = Float64Array.from([1, -1, 1]);
const z = Float64Array.from([0.5, -0.25, 2]);
const label = { name: 'label', regularizer: labelFit({ loss: 'squared' }) };

describe('predictWithTerms', () => {
  it('with label + quadratic PI terms reproduces u(k) = ybar (1 - (1 - s h_i)^k), s = eta (1 + lambda)', async () => {
    const lambda = 1;
    const eta = 0.7;
    const terms = [label, { name: 'pi', regularizer: quadraticPi({ lambda }) }];
    const { trajectory, test } = await predictWithTerms({ H, n, hTest, eta, steps: 20, terms, targets: y, teacherLogits: z });
    const s = eta * (1 + lambda);
    expect(trajectory).toHaveLength(21);
    for (const k of [0, 1, 7, 20]) {
      trajectory[k].forEach((v, i) => expect(Math.abs(v - ((y[i] + lambda * z[i]) / (1 + lambda)) * (1 - (1 - s * h[i]) ** k))).toBeLessThan(1e-6));
      // f_k = H(x*, X) H^-1 (u(k) - u0) for this hTest: u_0(k) / h_0.
      expect(Math.abs(test[k][0] - trajectory[k][0] / h[0])).toBeLessThan(1e-6);
    }
  });

  it('with label + temperature-KL terms follows the float64 recursion u_i <- u_i - eta h_i ((u_i - y_i) + w T (sigmoid(u_i/T) - sigmoid(z_i/T)))', async () => {
    const w = 1.5;
    const T = 2;
    const eta = 0.9;
    const terms = [label, { name: 'pi', regularizer: hintonKl({ weight: w, temperature: T }) }];
    const { trajectory } = await predictWithTerms({ H, n, hTest, eta, steps: 40, terms, targets: y, teacherLogits: z });
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const u = new Float64Array(n);
    for (let k = 0; k <= 40; k++) {
      u.forEach((v, i) => expect(Math.abs(trajectory[k][i] - v)).toBeLessThan(1e-6));
      for (let i = 0; i < n; i++) u[i] -= eta * h[i] * ((u[i] - y[i]) + w * T * (sig(u[i] / T) - sig(z[i] / T)));
    }
  });

  it('leaks no tensor', async () => {
    const terms = [label, { name: 'pi', regularizer: hintonKl({ weight: 1, temperature: 2 }) }];
    const before = tf.memory().numTensors;
    await predictWithTerms({ H, n, hTest, eta: 0.5, steps: 5, terms, targets: y, teacherLogits: z });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('on a backend without sync reads (named webgpu here, with no kernels at all) runs the terms on cpu, returns the cpu numbers and switches back', async () => {
    const terms = [label, { name: 'pi', regularizer: hintonKl({ weight: 1, temperature: 2 }) }];
    const input = { H, n, hTest, eta: 0.5, steps: 5, terms, targets: y, teacherLogits: z };
    const onCpu = await predictWithTerms(input);
    class NoKernels extends tf.KernelBackend { override dispose(): void { /* nothing held */ } }
    tf.registerBackend('webgpu', () => new NoKernels(), -1);
    try {
      await tf.setBackend('webgpu');
      expect(() => tf.add(tf.scalar(1), tf.scalar(2))).toThrow(); // the fake really cannot compute
      const onFake = await predictWithTerms(input);
      expect(tf.getBackend()).toBe('webgpu');
      expect(onFake.trajectory.map((u) => Array.from(u))).toEqual(onCpu.trajectory.map((u) => Array.from(u)));
    } finally {
      await tf.setBackend('cpu');
      tf.removeBackend('webgpu');
    }
  });
});
