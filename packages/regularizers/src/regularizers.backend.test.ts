// Every built-in regularizer against the conformance suite, on each backend (cpu, wasm).
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@pikt/core';
import { describeRegularizerConformance } from '@pikt/testkit';
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
  studentLogits: normal(rng, n, 3), teacherLogits: normal(rng, n, 3), targets: oneHot(rng, 3),
  studentFeatures: normal(rng, n, 10), teacherFeatures: normal(rng, n, 4),
});

describeRegularizerConformance({ factory: quadraticPi, options: { lambda: 2 }, makeInput: logitsOnly(3) });
describeRegularizerConformance({ factory: quadraticPi, options: { alpha: 0.3, reduction: 'mean' }, makeInput: logitsOnly(1) });
describeRegularizerConformance({ factory: labelFit, options: { weight: 2 }, makeInput: (rng) => ({ studentLogits: normal(rng, n, 3), targets: normal(rng, n, 3) }) });
describeRegularizerConformance({ factory: labelFit, options: { loss: 'cross-entropy' }, makeInput: (rng) => ({ studentLogits: normal(rng, n, 4), targets: oneHot(rng, 4) }) });
describeRegularizerConformance({ factory: labelFit, options: { loss: 'cross-entropy', reduction: 'mean' }, makeInput: (rng) => ({ studentLogits: normal(rng, n, 1), targets: signs(rng) }) });
describeRegularizerConformance({ factory: hintonKl, options: { temperature: 3 }, makeInput: logitsOnly(5) });
describeRegularizerConformance({ factory: hintonKl, options: { temperature: 2, weight: 0.5 }, makeInput: logitsOnly(1) });
describeRegularizerConformance({ factory: featureMatching, options: { seed: 3 }, makeInput: everything });
describeRegularizerConformance({ factory: featureMatching, options: { projection: 'none', weight: 2 }, makeInput: (rng) => ({ studentLogits: normal(rng, n, 2), studentFeatures: normal(rng, n, 4), teacherFeatures: normal(rng, n, 4) }) });
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
