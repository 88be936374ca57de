import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizer, InvalidOptionError } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { hinf } from '../kernels/analytic-kernel.js';
import { unitPoints } from '../testing/fixtures.js';
import { predictGeneric } from './generic-predictor.js';
import { regularizerLoss, squaredLoss, sumLosses } from './output-losses.js';

// Test-local PI terms written with core's defineRegularizer (the real ones live in @pikt/regularizers).
const l2ToTeacher = defineRegularizer({
  id: 'test-l2', needs: ['teacherLogits'], defaults: { weight: 1 },
  compute: ({ studentLogits, teacherLogits }, o) => tf.tidy(() => tf.mul(o.weight / 2, tf.sum(tf.square(tf.sub(studentLogits, teacherLogits))))),
});
/** Hinton's term T^2 sum_i KL(softmax(z_i/T) || softmax(u_i/T)). */
const kl = defineRegularizer({
  id: 'test-kl', needs: ['teacherLogits'], defaults: { temperature: 2 },
  compute: ({ studentLogits, teacherLogits }, o) => tf.tidy(() => {
    const T = o.temperature;
    const p = tf.softmax(tf.div(teacherLogits, T));
    const logq = tf.logSoftmax(tf.div(studentLogits, T));
    return tf.mul(T * T, tf.sum(tf.mul(p, tf.sub(tf.log(p), logq))));
  }),
});
const features = defineRegularizer({
  id: 'test-features', needs: ['teacherFeatures'], defaults: {},
  compute: ({ studentLogits }) => tf.sum(studentLogits),
});

describe('regularizerLoss: a RegularizerV1 as an output-space loss (tf.grad, float32)', () => {
  const n = 6, K = 3;
  const u = Float64Array.from({ length: n * K }, (_, i) => Math.sin(i) * 1.5);
  const z = Float64Array.from({ length: n * K }, (_, i) => Math.cos(2 * i));

  it('the L2-to-teacher term gives lambda (u - z), as the quadratic PI term does', () => {
    const l = regularizerLoss(l2ToTeacher({ weight: 1 }), { n, outputs: K, teacherLogits: z, weight: 4 });
    const ref = squaredLoss(z, 4);
    expect(l.value(u)).toBeCloseTo(ref.value(u), 4);
    const g = l.grad(u);
    const gr = ref.grad(u);
    for (let i = 0; i < g.length; i++) expect(Math.abs(g[i] - gr[i])).toBeLessThan(1e-5 * (1 + Math.abs(gr[i])));
  });

  it('the temperature-KL term (T = 2) has gradient T (softmax(u/T) - softmax(z/T)) per row', () => {
    const T = 2;
    const l = regularizerLoss(kl({ temperature: T }), { n, outputs: K, teacherLogits: z });
    const g = l.grad(u);
    for (let i = 0; i < n; i++) {
      const sm = (a: Float64Array) => {
        const e = Array.from({ length: K }, (_, k) => Math.exp(a[i * K + k] / T));
        const s = e.reduce((p, v) => p + v, 0);
        return e.map((v) => v / s);
      };
      const pu = sm(u);
      const pz = sm(z);
      for (let k = 0; k < K; k++) expect(Math.abs(g[i * K + k] - T * (pu[k] - pz[k]))).toBeLessThan(2e-6);
    }
  });

  it('drives the generic predictor without leaking tensors, and converges towards the teacher under pure KL', async () => {
    const d = 5;
    const x = unitPoints(n, d, 2);
    const H = hinf(x, null, { inputDim: d, onWarning: () => {} }).data;
    const loss = sumLosses(regularizerLoss(kl({ temperature: 2 }), { n, outputs: K, teacherLogits: z }));
    const traj = await expectNoTensorLeak(() => predictGeneric({ gram: H, loss, eta: 0.5, outputs: K }, [0, 400]), 'predictGeneric with a tfjs regularizer');
    expect(traj.loss[1]).toBeLessThan(0.05 * traj.loss[0]);
  });

  it('refuses feature-based regularizers and missing teacher outputs', () => {
    expect(() => regularizerLoss(features(), { n, outputs: K })).toThrow(InvalidOptionError);
    expect(() => regularizerLoss(features(), { n, outputs: K })).toThrow(/section 4/);
    expect(() => regularizerLoss(kl(), { n, outputs: K })).toThrow(/teacherLogits/);
  });
});
