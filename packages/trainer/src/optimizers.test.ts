import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { expectNoTensorLeak } from '@pikt/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from './optimizers.js';

beforeAll(async () => { await createCpuBackend().activate(); });
const cfg = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

describe('optimizers', () => {
  it('gd: W - lr g, only for parameters with a gradient', () => {
    const opt = createOptimizer({ ...cfg, kind: 'gd' });
    const frozen = tf.tensor1d([7]);
    const next = opt.update({ w: tf.tensor1d([1, 2]), frozen }, { w: tf.tensor1d([10, -10]) });
    expect(Array.from(next.w.dataSync())).toEqual([0, 3]);
    expect(next.frozen).toBe(frozen);
    expect(opt.state()).toEqual({ kind: 'gd', t: 1, slots: {} });
    tf.dispose([next.w, frozen]);
  });
  it('adam: two steps equal Kingma & Ba in float64, and the state continues after restore', async () => {
    await expectNoTensorLeak(() => {
      const g1 = [0.5, -2];
      const g2 = [1, 1];
      let m = [0, 0];
      let v = [0, 0];
      let w = [1, 1];
      [g1, g2].forEach((g, i) => {
        const t = i + 1;
        m = m.map((mi, j) => 0.9 * mi + 0.1 * g[j]);
        v = v.map((vi, j) => 0.999 * vi + 0.001 * g[j] ** 2);
        w = w.map((wi, j) => wi - (0.1 * m[j] / (1 - 0.9 ** t)) / (Math.sqrt(v[j] / (1 - 0.999 ** t)) + 1e-8));
      });
      const a = createOptimizer({ ...cfg, kind: 'adam' });
      let p = a.update({ w: tf.tensor1d([1, 1]) }, { w: tf.tensor1d(g1) });
      // Continue in a fresh optimizer from a copy of the state, as a resumed run does.
      const st = a.state();
      const b = createOptimizer({ ...cfg, kind: 'adam' }, { kind: 'adam', t: st.t, slots: Object.fromEntries(Object.entries(st.slots).map(([k, s]) => [k, tf.clone(s)])) });
      a.dispose();
      p = b.update(p, { w: tf.tensor1d(g2) });
      Array.from(p.w.dataSync()).forEach((x, j) => expect(x).toBeCloseTo(w[j], 6));
      expect(b.state().t).toBe(2);
      b.dispose();
      tf.dispose(p.w);
    });
  });
});
