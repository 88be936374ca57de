// Every built-in regularizer against the conformance suite, on each backend (cpu, wasm).
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type JsonObject, type RegularizerFactory, type Rng } from '@pikt/core';
import { describeRegularizerConformance } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { scheduled, sum, weighted } from './builtin.js';
import { featureMatching } from './feature-matching.js';
import { hintonKl } from './hinton-kl.js';
import { labelFit } from './label-fit.js';
import { quadraticPi } from './quadratic-pi.js';

const n = 6;
const normal = (rng: Rng, rows: number, cols: number) => tf.tensor2d(rng.fillNormal(new Float32Array(rows * cols)), [rows, cols]);
const oneHot = (rng: Rng, k: number) => {
  const v = new Float32Array(n * k);
  for (let i = 0; i < n; i++) v[i * k + rng.int(k)] = 1;
  return tf.tensor2d(v, [n, k]);
};
const signs = (rng: Rng) => tf.tensor2d(Float32Array.from({ length: n }, () => (rng.int(2) === 0 ? -1 : 1)), [n, 1]);
const logitsOnly = (k: number) => (rng: Rng) => ({ studentLogits: normal(rng, n, k), teacherLogits: normal(rng, n, k) });
const everything = (rng: Rng) => ({
  studentLogits: normal(rng, n, 3), teacherLogits: normal(rng, n, 3), labels: oneHot(rng, 3),
  studentFeatures: normal(rng, n, 10), teacherFeatures: normal(rng, n, 4),
});

describeRegularizerConformance({ factory: quadraticPi, options: { lambda: 2 }, makeInput: logitsOnly(3) });
describeRegularizerConformance({ factory: quadraticPi, options: { alpha: 0.3, reduction: 'mean' }, makeInput: logitsOnly(1) });
describeRegularizerConformance({ factory: labelFit, options: { weight: 2 }, makeInput: (rng) => ({ studentLogits: normal(rng, n, 3), labels: normal(rng, n, 3) }) });
describeRegularizerConformance({ factory: labelFit, options: { loss: 'cross-entropy' }, makeInput: (rng) => ({ studentLogits: normal(rng, n, 4), labels: oneHot(rng, 4) }) });
describeRegularizerConformance({ factory: labelFit, options: { loss: 'cross-entropy', reduction: 'mean' }, makeInput: (rng) => ({ studentLogits: normal(rng, n, 1), labels: signs(rng) }) });
describeRegularizerConformance({ factory: hintonKl, options: { temperature: 3 }, makeInput: logitsOnly(5) });
describeRegularizerConformance({ factory: hintonKl, options: { temperature: 2, weight: 0.5 }, makeInput: logitsOnly(1) });
/**
 * The suite differentiates with respect to the student's logits, and tf.grad throws when the value
 * does not depend on them, as with feature matching. Its instances are therefore checked with
 * 0 * sum(logits) added (a zero gradient the finite differences must reproduce); every other check
 * runs on the real term, and its gradient with respect to the student's features is checked below.
 */
function withZeroLogitPath<O extends JsonObject>(factory: RegularizerFactory<O>): RegularizerFactory<O> {
  const wrapped = (options?: Partial<O>) => {
    const reg = factory(options);
    return { ...reg, compute: (input: Parameters<typeof reg.compute>[0], clock?: Parameters<typeof reg.compute>[1]) =>
      tf.tidy(() => tf.add(reg.compute(input, clock), tf.mul(0, tf.sum(input.studentLogits)))) as tf.Scalar };
  };
  return Object.assign(wrapped, { id: factory.id, needs: factory.needs, defaults: factory.defaults });
}
describeRegularizerConformance({ factory: withZeroLogitPath(featureMatching), options: { seed: 3 }, makeInput: everything });
describeRegularizerConformance({ factory: withZeroLogitPath(featureMatching), options: { projection: 'none' }, makeInput: (rng) => ({ studentLogits: normal(rng, n, 2), studentFeatures: normal(rng, n, 4), teacherFeatures: normal(rng, n, 4) }) });

describe(`feature-matching gradient w.r.t. student features on ${process.env.PIKT_TEST_BACKEND}`, () => {
  for (const projection of ['random', 'none'] as const) {
    it(`equals central finite differences (projection ${projection})`, () => {
      const rng = createRng(11);
      const reg = featureMatching({ projection, weight: 2 });
      const t = normal(rng, n, 4);
      const s0 = rng.fillNormal(new Float32Array(n * (projection === 'none' ? 4 : 10)));
      const shape: [number, number] = [n, s0.length / n];
      const u = normal(rng, n, 2);
      const loss = (s: tf.Tensor) => reg.compute({ studentLogits: u, studentFeatures: s as tf.Tensor2D, teacherFeatures: t });
      const g = tf.grad(loss)(tf.tensor2d(s0, shape)).dataSync() as Float32Array;
      const v = rng.fillNormal(new Float32Array(s0.length));
      const h = 1e-2;
      const at = (sign: number) => tf.tidy(() => loss(tf.tensor2d(s0.map((x, i) => x + sign * h * v[i]), shape)).dataSync()[0]);
      const fd = (at(1) - at(-1)) / (2 * h);
      const analytic = g.reduce((acc: number, gi: number, i: number) => acc + gi * v[i], 0);
      expect(Math.abs(fd - analytic)).toBeLessThan(1e-2 * Math.abs(analytic));
      tf.dispose([t, u]);
    });
  }
});
describeRegularizerConformance({
  factory: sum,
  options: { terms: [{ id: 'label-fit', options: { loss: 'cross-entropy' } }, { id: 'quadratic-pi', options: { lambda: 1 }, weight: 0.5 }, { id: 'feature-matching' }] },
  makeInput: everything,
});
describeRegularizerConformance({ factory: weighted, options: { weight: 0.25, term: { id: 'hinton-kl', options: { temperature: 2 } } }, makeInput: everything });
describeRegularizerConformance({
  factory: scheduled,
  options: { kind: 'cosine', from: 0.5, to: 2, start: 0, end: 10, term: { id: 'quadratic-pi' } },
  makeInput: everything,
});
