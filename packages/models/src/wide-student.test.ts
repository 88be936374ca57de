import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { InvalidOptionError, ShapeMismatchError, createRng } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWideStudent, type WideStudentParams } from './wide-student.js';

beforeAll(async () => { await createCpuBackend().activate(); });

const io = { inputDim: 7, outputDim: 3 };
const X = (n: number, d: number, seed = 11) => createRng(seed).fillNormal(new Float32Array(n * d));

/** f(x_i)_k = (1/sqrt(m)) sum_r a_rk relu(w_r . x_i), accumulated in float64. */
function studentF64(W: ArrayLike<number>, a: ArrayLike<number>, x: ArrayLike<number>, n: number, d: number, m: number, k: number) {
  const out = new Float64Array(n * k);
  const hidden = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      let h = 0;
      for (let j = 0; j < d; j++) h += W[r * d + j] * x[i * d + j];
      const relu = Math.max(0, h);
      hidden[i * m + r] = relu / Math.sqrt(m);
      for (let c = 0; c < k; c++) out[i * k + c] += (a[r * k + c] * relu) / Math.sqrt(m);
    }
  }
  return { out, hidden };
}

function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < want.length; i++) { num += (got[i] - want[i]) ** 2; den += want[i] ** 2; }
  return Math.sqrt(num / den);
}

describe('createWideStudent options', () => {
  it('names the field and the allowed values', () => {
    expect(() => createWideStudent({ width: 5 })).toThrow(/wide-student.width.*even width/);
    expect(() => createWideStudent({ width: 0 })).toThrow(InvalidOptionError);
    expect(() => createWideStudent({ kappa: 0 })).toThrow(/wide-student.kappa.*> 0/);
    expect(() => createWideStudent({ trainLayers: 'second' as never })).toThrow(/"first", "both"/);
    expect(() => createWideStudent({ widht: 4 } as never)).toThrow(/wide-student.widht/);
    expect(createWideStudent({ width: 5, symmetric: false }).options.width).toBe(5);
  });
  it('declares its trainable parameters and their shapes', () => {
    expect(createWideStudent().trainable).toEqual(['W']);
    expect(createWideStudent({ trainLayers: 'both', features: 'projected', featureDim: 4 }).trainable).toEqual(['W', 'a', 'P']);
    expect(createWideStudent({ width: 6, features: 'projected', featureDim: 4 }).paramShapes(io)).toEqual({ W: [6, 7], a: [6, 3], P: [6, 4] });
  });
});

describe('wide student init', () => {
  it('draws W ~ N(0, kappa^2), signs in {-1, +1}, and mirrors the second half', () => {
    const model = createWideStudent({ width: 2000, kappa: 0.5 });
    const p = model.init(createRng(1), { inputDim: 10, outputDim: 2 });
    const W = p.W.dataSync() as Float32Array;
    const a = p.a.dataSync();
    const mean = W.reduce((s, v) => s + v, 0) / W.length;
    const variance = W.reduce((s, v) => s + (v - mean) ** 2, 0) / W.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(variance).toBeGreaterThan(0.25 * 0.95);
    expect(variance).toBeLessThan(0.25 * 1.05);
    expect(new Set(a)).toEqual(new Set([-1, 1]));
    expect(Array.from(W.subarray(1000 * 10))).toEqual(Array.from(W.subarray(0, 1000 * 10)));
    expect(Array.from(a.subarray(1000 * 2))).toEqual(Array.from(a.subarray(0, 1000 * 2)).map((v) => -v));
    model.dispose(p);
  });
});

describe('wide student forward', () => {
  it('symmetric initialization gives exactly zero output', () => {
    const model = createWideStudent({ width: 64, blockSize: 5 });
    const p = model.init(createRng(2), io);
    const x = tf.tensor2d(X(9, 7), [9, 7]);
    const out = model.apply(p, x).logits.dataSync();
    expect(Array.from(out).every((v) => v === 0)).toBe(true);
    model.dispose(p);
  });
  it('equals a float64 reference (logits and hidden features), with and without blocks', () => {
    for (const blockSize of [0, 3]) {
      const model = createWideStudent({ width: 10, symmetric: false, features: 'hidden', blockSize });
      const p = model.init(createRng(3), io);
      const xs = X(5, 7);
      const { logits, features } = model.apply(p, tf.tensor2d(xs, [5, 7]));
      const ref = studentF64(p.W.dataSync(), p.a.dataSync(), xs, 5, 7, 10, 3);
      expect(logits.shape).toEqual([5, 3]);
      expect(features!.shape).toEqual([5, 10]);
      expect(relErr(logits.dataSync(), ref.out)).toBeLessThan(1e-6);
      expect(relErr(features!.dataSync(), ref.hidden)).toBeLessThan(1e-6);
    }
  });
  it('projected features equal phi(x) P', () => {
    const model = createWideStudent({ width: 8, features: 'projected', featureDim: 2, blockSize: 3 });
    const p = model.init(createRng(4), io);
    const xs = X(4, 7);
    const feats = model.apply(p, tf.tensor2d(xs, [4, 7])).features!.dataSync();
    const { hidden } = studentF64(p.W.dataSync(), p.a.dataSync(), xs, 4, 7, 8, 3);
    const P = p.P!.dataSync();
    const want = new Float64Array(8);
    for (let i = 0; i < 4; i++) for (let c = 0; c < 2; c++) for (let r = 0; r < 8; r++) want[i * 2 + c] += hidden[i * 8 + r] * P[r * 2 + c];
    expect(relErr(feats, want)).toBeLessThan(1e-6);
  });
  it('rejects an input of the wrong width, naming the expected shape', () => {
    const model = createWideStudent({ width: 4 });
    const p = model.init(createRng(5), io);
    expect(() => model.apply(p, tf.zeros([2, 6]) as tf.Tensor2D)).toThrow(ShapeMismatchError);
    expect(() => model.apply(p, tf.zeros([2, 6]) as tf.Tensor2D)).toThrow(/\[batch, 7\]/);
    expect(() => model.vjp(p, tf.zeros([2, 7]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D)).toThrow(/dLogits/);
  });
});

describe('wide student vjp (cpu)', () => {
  /** Gradient of <apply(params).logits, G> by tfjs autodiff: the same quantity vjp computes. */
  function autodiff(params: WideStudentParams, x: tf.Tensor2D, g: tf.Tensor2D, names: Array<'W' | 'a'>) {
    const model = createWideStudent({ width: params.W.shape[0], symmetric: false });
    return tf.grads((...ts: tf.Tensor[]) => {
      const p = { ...params, ...Object.fromEntries(names.map((nm, i) => [nm, ts[i]])) } as WideStudentParams;
      return tf.sum(tf.mul(model.apply(p, x).logits, g));
    })(names.map((nm) => params[nm]!));
  }
  for (const trainLayers of ['first', 'both'] as const) {
    it(`matches autodiff within 1e-4 relative (trainLayers ${trainLayers}, n > d and n < d)`, () => {
      for (const [n, d] of [[12, 5], [4, 9]]) {
        const model = createWideStudent({ width: 24, symmetric: false, trainLayers, blockSize: 7 });
        const p = model.init(createRng(6), { inputDim: d, outputDim: 3 });
        const x = tf.tensor2d(X(n, d), [n, d]);
        const g = tf.tensor2d(X(n, 3, 12), [n, 3]);
        const grads = model.vjp(p, x, g);
        const names = trainLayers === 'both' ? (['W', 'a'] as const) : (['W'] as const);
        const ref = autodiff(p, x, g, [...names]);
        expect(Object.keys(grads).sort()).toEqual([...names].sort());
        names.forEach((nm, i) => {
          expect(grads[nm]!.shape).toEqual(p[nm].shape);
          const got = grads[nm]!.dataSync();
          const want = ref[i].dataSync();
          const maxAbs = Math.max(...Array.from(want, Math.abs));
          expect(relErr(got, want)).toBeLessThan(1e-4);
          for (let j = 0; j < want.length; j++) expect(Math.abs(got[j] - want[j])).toBeLessThanOrEqual(1e-4 * maxAbs);
        });
      }
    });
  }
  it('gives the learned projection a zero gradient (it does not touch the logits)', () => {
    const model = createWideStudent({ width: 6, features: 'projected', featureDim: 2 });
    const p = model.init(createRng(7), io);
    const grads = model.vjp(p, tf.tensor2d(X(3, 7), [3, 7]), tf.ones([3, 3]) as tf.Tensor2D);
    expect(Array.from(grads.P!.dataSync())).toEqual(new Array(12).fill(0));
  });
});
