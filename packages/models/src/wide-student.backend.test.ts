import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pikt/core';
import { describeModelConformance, expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { createWideStudent } from './wide-student.js';
import { studentForward } from './wide-student-forward.js';
import { studentVjp } from './wide-student-vjp.js';

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

  it('the whole-layer passes (wasm) give bit-identical logits and dW to the blockwise ones (with and without masks)', async () => {
    const wasm = tf.getBackend() === 'wasm';
    // (n, d, m, K, blockSize, symmetric): one block per half, several blocks, an odd split, K > 1.
    for (const [n, d, m, k, blockSize, symmetric] of [[20, 8, 64, 1, 0, true], [17, 5, 60, 3, 8, false], [9, 3, 18, 2, 4, true]] as const) {
      const model = createWideStudent({ width: m, symmetric, blockSize });
      const params = model.init(createRng(11), { inputDim: d, outputDim: k });
      const W = tf.tidy(() => tf.add(params.W, tf.mul(tf.tensor2d(createRng(12).fillNormal(new Float32Array(m * d)), [m, d]), 0.01)) as tf.Tensor2D);
      const x = tf.tensor2d(createRng(13).fillNormal(new Float32Array(n * d)), [n, d]);
      const g = tf.tensor2d(createRng(14).fillNormal(new Float32Array(n * k)), [n, k]);
      const [whole, blocks] = await expectNoTensorLeak(() => [false, true].map((force) => tf.tidy(() => {
        const f = studentForward(W, params.a, x, blockSize, 'none', undefined, true, force);
        const dW = studentVjp(W, params.a, x, g, blockSize, false, f.masks, force).W;
        const recomputed = studentVjp(W, params.a, x, g, blockSize, false, undefined, force).W;
        return { masks: f.masks!.length, logits: Array.from(f.logits.dataSync()), dW: Array.from(dW.dataSync()), recomputed: Array.from(recomputed.dataSync()) };
      })), 'whole and blockwise passes');
      // Elsewhere the summation order of matMul depends on where the zeros are: the blocks stay.
      expect(whole.masks).toBe(wasm ? 1 : blocks.masks);
      expect(blocks.masks).toBeGreaterThan(1);
      expect(whole.logits).toEqual(blocks.logits);
      expect(whole.dW).toEqual(blocks.dW);
      expect(whole.recomputed).toEqual(blocks.dW);
      if (symmetric) {
        const zero = tf.tidy(() => Array.from(studentForward(params.W, params.a, x, blockSize).logits.dataSync()));
        expect(zero.every((v) => v === 0)).toBe(true);
      }
      tf.dispose([W, x, g]);
      model.dispose(params);
    }
  });

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
