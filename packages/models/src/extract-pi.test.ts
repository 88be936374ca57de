import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng, NonFiniteError } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractPrivilegedInformation } from './extract-pi.js';
import { createMlpTeacher } from './mlp-teacher.js';

beforeAll(async () => { await createCpuBackend().activate(); });

const n = 23;
const d = 5;
const data = { n, x: createRng(1).fillNormal(new Float32Array(n * d)) };

describe('extractPrivilegedInformation', () => {
  it('gives the logits and features of one big forward pass, batch by batch, leaking nothing', async () => {
    const model = createMlpTeacher({ width: 7 });
    const params = model.init(createRng(2), { inputDim: d, outputDim: 4 });
    const pi = await expectNoTensorLeak(() => extractPrivilegedInformation(model, params, data, { batchSize: 5, temperature: 2 }), 'extract PI');
    const whole = model.apply(params, tf.tensor2d(data.x, [n, d]));
    expect([pi.n, pi.outputDim, pi.featureDim, pi.temperature]).toEqual([n, 4, 7, 2]);
    Array.from(whole.logits.dataSync()).forEach((v, i) => expect(pi.logits[i]).toBeCloseTo(v, 6));
    Array.from(whole.features!.dataSync()).forEach((v, i) => expect(pi.features![i]).toBeCloseTo(v, 6));
  });
  it('softens with temperature: softmax(z / T) per row (float64 check)', async () => {
    const model = createMlpTeacher({ width: 3 });
    const params = model.init(createRng(3), { inputDim: d, outputDim: 3 });
    const pi = await extractPrivilegedInformation(model, params, data, { temperature: 4, features: false });
    expect(pi.features).toBeUndefined();
    expect(pi.featureDim).toBe(0);
    for (let i = 0; i < n; i++) {
      const z = Array.from(pi.logits.subarray(3 * i, 3 * i + 3), (v) => v / 4);
      const mx = Math.max(...z);
      const e = z.map((v) => Math.exp(v - mx));
      const s = e.reduce((p, q) => p + q, 0);
      e.forEach((v, c) => expect(pi.probabilities[3 * i + c]).toBeCloseTo(v / s, 6));
    }
  });
  it('uses sigmoid(z / T) for a single output', async () => {
    const model = createMlpTeacher({ width: 3 });
    const params = model.init(createRng(4), { inputDim: d, outputDim: 1 });
    const pi = await extractPrivilegedInformation(model, params, data, { temperature: 0.5 });
    pi.logits.forEach((z, i) => expect(pi.probabilities[i]).toBeCloseTo(1 / (1 + Math.exp(-z / 0.5)), 6));
  });
  it('names bad options, bad shapes and non-finite logits', async () => {
    const model = createMlpTeacher({ width: 3 });
    const params = model.init(createRng(5), { inputDim: d, outputDim: 2 });
    await expect(extractPrivilegedInformation(model, params, data, { temperature: 0 })).rejects.toThrow(/temperature/);
    await expect(extractPrivilegedInformation(model, params, data, { batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(extractPrivilegedInformation(model, params, { n: 4, x: new Float32Array(10) })).rejects.toThrow(/multiple of n = 4/);
    const bad = { n: 1, x: new Float32Array([Number.NaN, 0, 0, 0, 0]) };
    await expect(extractPrivilegedInformation(model, params, bad)).rejects.toThrow(NonFiniteError);
  });
});
