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

describe('wide student activation patterns', () => {
  it('applyWithVjp keepPatterns and activationPatterns.compute give 1{w_r . x_i > 0} (float64 reference), neuron-major blocks, same gradients', async () => {
    const [n, d, m] = [11, 5, 40];
    const model = createWideStudent({ width: m, blockSize: 12 });
    const params = model.init(createRng(8), { inputDim: d, outputDim: 1 });
    const xs = createRng(9).fillNormal(new Float32Array(n * d));
    const x = tf.tensor2d(xs, [n, d]);
    const w = await params.W.data();
    const expected = (r: number, i: number) => { let z = 0; for (let k = 0; k < d; k++) z += xs[i * d + k] * w[r * d + k]; return z > 0 ? 1 : 0; };
    const check = async (blocks: tf.Tensor2D[]) => {
      let r0 = 0;
      for (const b of blocks) {
        expect(b.shape[1]).toBe(n);
        const v = await b.data();
        for (let r = 0; r < b.shape[0]; r++) for (let i = 0; i < n; i++) expect(v[r * n + i]).toBe(expected(r0 + r, i));
        r0 += b.shape[0];
      }
      expect(r0).toBe(m);
    };
    await expectNoTensorLeak(async () => {
      const out = tf.tidy(() => {
        const { grads, patterns } = model.applyWithVjp(params, x, (u) => u, { keepPatterns: true });
        const plain = model.applyWithVjp(params, x, (u) => u).grads;
        return { diff: tf.max(tf.abs(tf.sub(grads.W!, plain.W!))), patterns: patterns!.blocks.map((b) => tf.keep(b)), layout: patterns!.layout, values: patterns!.values };
      });
      expect([out.layout, out.values, out.patterns.length]).toEqual(['neurons-major', 'mask', 4]);
      expect((await out.diff.data())[0]).toBe(0);
      await check(out.patterns);
      const own = model.activationPatterns.compute(params, x);
      await check(own.blocks);
      tf.dispose([out.diff, ...out.patterns, ...own.blocks]);
    }, 'activation patterns');
    expect(model.activationPatterns.unavailable(n)).toBeUndefined();
    expect(model.activationPatterns.unavailable(2 ** 30)).toBe(`the masks of ${2 ** 30} points x ${m} neurons take ${4 * 2 ** 30 * m} bytes, over the ${2 ** 29} kept`);
    const both = createWideStudent({ width: m, trainLayers: 'both' });
    expect(() => both.activationPatterns.compute(params, x)).toThrow("wide-student cannot hand out its activation patterns: trainLayers is 'both': the masks are kept only when the first layer alone is trained.");
    tf.dispose(x);
    model.dispose(params);
  });
});
