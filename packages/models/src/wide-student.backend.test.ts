import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pikt/core';
import { describeModelConformance, expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { createWideStudent } from './wide-student.js';

// The default symmetric student (output exactly 0 for every seed) and an unsymmetric width-9 one.
describeModelConformance({ model: createWideStudent({ width: 32, blockSize: 6, features: 'hidden' }), io: { inputDim: 5, outputDim: 2 } });
describeModelConformance({ model: createWideStudent({ width: 9, symmetric: false, features: 'projected', featureDim: 3 }), io: { inputDim: 4, outputDim: 1 } });

describe(`wide student on ${process.env.PIKT_TEST_BACKEND}`, () => {
  it('symmetric initialization gives exactly zero output', () => {
    const model = createWideStudent({ width: 512, blockSize: 96 });
    const params = model.init(createRng(1), { inputDim: 20, outputDim: 3 });
    const x = tf.tensor2d(createRng(2).fillNormal(new Float32Array(33 * 20)), [33, 20]);
    const logits = model.apply(params, x).logits;
    expect(Array.from(logits.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose([x, logits]);
    model.dispose(params);
  });

  for (const trainLayers of ['first', 'both'] as const) {
    it(`applyWithVjp gives the same logits and gradients as apply + vjp (${trainLayers})`, async () => {
      const model = createWideStudent({ width: 40, symmetric: false, blockSize: 12, trainLayers });
      const params = model.init(createRng(4), { inputDim: 6, outputDim: 2 });
      const x = tf.tensor2d(createRng(5).fillNormal(new Float32Array(10 * 6)), [10, 6]);
      const y = tf.tensor2d(createRng(6).fillNormal(new Float32Array(10 * 2)), [10, 2]);
      const separate = tf.tidy(() => {
        const { logits } = model.apply(params, x);
        const grads = model.vjp(params, x, tf.sub(logits, y) as tf.Tensor2D);
        return [logits, grads.W!, ...(grads.a ? [grads.a] : [])].map((t) => Array.from(t.dataSync()));
      });
      const fused = await expectNoTensorLeak(() => tf.tidy(() => {
        const { logits, grads } = model.applyWithVjp(params, x, (u) => tf.sub(u, y) as tf.Tensor2D);
        return [logits, grads.W!, ...(grads.a ? [grads.a] : [])].map((t) => Array.from(t.dataSync()));
      }), 'applyWithVjp');
      expect(fused).toEqual(separate);
      let names: string[] = [];
      tf.tidy(() => { names = Object.keys(model.applyWithVjp(params, x, (u) => u).grads).sort(); });
      expect(names).toEqual(trainLayers === 'both' ? ['W', 'a'] : ['W']);
      tf.dispose([x, y]);
      model.dispose(params);
    });
  }

  it('autodiff through apply (what trainers use when a loss reads the features) agrees with vjp', () => {
    const model = createWideStudent({ width: 30, symmetric: false, blockSize: 8, features: 'hidden' });
    const params = model.init(createRng(7), { inputDim: 5, outputDim: 2 });
    const x = tf.tensor2d(createRng(8).fillNormal(new Float32Array(6 * 5)), [6, 5]);
    const g = tf.tensor2d(createRng(9).fillNormal(new Float32Array(6 * 2)), [6, 2]);
    const [auto, hand] = tf.tidy(() => [
      tf.grad((W: tf.Tensor) => tf.sum(tf.mul(model.apply({ ...params, W: W as tf.Tensor2D }, x).logits, g)))(params.W),
      model.vjp(params, x, g).W!,
    ].map((t) => Array.from(t.dataSync())));
    const scale = Math.max(...hand.map(Math.abs));
    auto.forEach((v, i) => expect(Math.abs(v - hand[i])).toBeLessThan(1e-4 * scale));
    tf.dispose([x, g]);
    model.dispose(params);
  });

  it('100 full-batch GD steps with the hand-written vjp fit the targets and leak no tensor', async () => {
    // L = 1/2 ||u - y||^2 on unit-norm inputs: dL/du = u - y.
    const n = 16;
    const d = 6;
    const model = createWideStudent({ width: 256, blockSize: 100 });
    const rng = createRng(3);
    const xs = rng.fillNormal(new Float32Array(n * d));
    for (let i = 0; i < n; i++) {
      const row = xs.subarray(i * d, (i + 1) * d);
      const norm = Math.hypot(...row);
      row.forEach((v, j) => { row[j] = v / norm; });
    }
    const x = tf.tensor2d(xs, [n, d]);
    const y = tf.tensor2d(Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1)), [n, 1]);
    const params = model.init(rng.child('init'), { inputDim: d, outputDim: 1 });
    const loss = () => tf.tidy(() => 0.5 * tf.sum(tf.square(tf.sub(model.apply(params, x).logits, y))).dataSync()[0]);
    const initial = loss();
    await expectNoTensorLeak(() => {
      for (let step = 0; step < 100; step++) {
        const next = tf.tidy(() => {
          const { logits } = model.apply(params, x);
          const grads = model.vjp(params, x, tf.sub(logits, y) as tf.Tensor2D);
          return tf.sub(params.W, tf.mul(0.5, grads.W!)) as tf.Tensor2D;
        });
        params.W.dispose();
        params.W = next;
      }
    }, '100 GD steps');
    expect(initial).toBe(0.5 * n);
    expect(loss()).toBeLessThan(0.05 * initial);
    tf.dispose([x, y]);
    model.dispose(params);
  });
});
