import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { InvalidOptionError, ShapeMismatchError, createRng } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMlpTeacher } from './mlp-teacher.js';

beforeAll(async () => { await createCpuBackend().activate(); });

/** Dense layers in float64: h = act(h W + b). */
function mlpF64(params: Record<string, tf.Tensor>, x: Float32Array, n: number, depth: number, act: (v: number) => number) {
  let h = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * params.dense0_w.shape[0], (i + 1) * params.dense0_w.shape[0])));
  const layer = (w: tf.Tensor, b: tf.Tensor, f: (v: number) => number) => {
    const [fin, fout] = w.shape;
    const W = w.dataSync();
    const B = b.dataSync();
    h = h.map((row) => Array.from({ length: fout }, (_, j) => f(B[j] + row.reduce((s, v, p) => s + v * W[p * fout + j], 0))));
    return fin;
  };
  for (let l = 0; l < depth; l++) layer(params[`dense${l}_w`], params[`dense${l}_b`], act);
  const features = h;
  layer(params.out_w, params.out_b, (v) => v);
  return { logits: h.flat(), features: features.flat() };
}

describe('createMlpTeacher', () => {
  it('validates options, naming the field', () => {
    expect(() => createMlpTeacher({ width: 0 })).toThrow(/mlp-teacher.width/);
    expect(() => createMlpTeacher({ depth: 0 })).toThrow(InvalidOptionError);
    expect(() => createMlpTeacher({ activation: 'gelu' as never })).toThrow(/"relu", "tanh"/);
  });
  it('lists its parameter shapes', () => {
    expect(createMlpTeacher({ width: 8, depth: 2 }).paramShapes({ inputDim: 5, outputDim: 3 })).toEqual({
      dense0_w: [5, 8], dense0_b: [8], dense1_w: [8, 8], dense1_b: [8], out_w: [8, 3], out_b: [3],
    });
  });
  for (const activation of ['relu', 'tanh'] as const) {
    it(`matches a float64 forward pass (${activation}, depth 2) with biases`, () => {
      const model = createMlpTeacher({ width: 6, depth: 2, activation });
      const params = model.init(createRng(1), { inputDim: 4, outputDim: 3 });
      for (const name of ['dense0_b', 'dense1_b', 'out_b']) {
        const b = params[name];
        params[name] = tf.tensor(createRng(name).fillNormal(new Float32Array(b.size)), b.shape);
        b.dispose();
      }
      const xs = createRng(2).fillNormal(new Float32Array(5 * 4));
      const { logits, features } = model.apply(params, tf.tensor2d(xs, [5, 4]));
      const ref = mlpF64(params, xs, 5, 2, activation === 'relu' ? (v) => Math.max(0, v) : Math.tanh);
      expect(features!.shape).toEqual([5, 6]);
      Array.from(logits.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref.logits[i], 5));
      Array.from(features!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref.features[i], 5));
    });
  }
  it('draws He-normal hidden weights (variance 2 / fanIn) and zero biases', () => {
    const params = createMlpTeacher({ width: 500 }).init(createRng(3), { inputDim: 50, outputDim: 2 });
    const w = params.dense0_w.dataSync() as Float32Array;
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeGreaterThan(0.04 * 0.95);
    expect(variance).toBeLessThan(0.04 * 1.05);
    expect(Array.from(params.dense0_b.dataSync()).every((v) => v === 0)).toBe(true);
  });
  it('rejects inputs of the wrong width', () => {
    const model = createMlpTeacher({ width: 3 });
    const params = model.init(createRng(4), { inputDim: 4, outputDim: 2 });
    expect(() => model.apply(params, tf.zeros([2, 5]) as tf.Tensor2D)).toThrow(ShapeMismatchError);
  });
});
