// Run by tools/consumer/run.mjs inside a fresh npm project that installed the packed tarballs, with
// no setup file: the testkit suites must work for a user as the root README promises.
import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { defineRegularizer, type Rng } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import { describeModelConformance, describeRegularizerConformance } from '@pikt/testkit';
import { beforeAll } from 'vitest';

beforeAll(async () => { await createCpuBackend().activate(); });

const pseudoHuberToTeacher = defineRegularizer({
  id: 'pseudo-huber-pi',
  needs: ['teacherLogits'],
  defaults: { delta: 1, weight: 1 },
  validate: (o) => (o.delta > 0 ? undefined : 'delta must be > 0'),
  compute: ({ studentLogits, teacherLogits }, o) => tf.tidy(() => {
    const r = tf.div(tf.sub(studentLogits, teacherLogits), o.delta);
    return tf.mul(o.weight * o.delta ** 2, tf.sum(tf.sub(tf.sqrt(tf.add(1, tf.square(r))), 1)));
  }),
});
const normal = (rng: Rng, rows: number, cols: number) => tf.tensor2d(rng.fillNormal(new Float32Array(rows * cols)), [rows, cols]);

describeRegularizerConformance({
  factory: pseudoHuberToTeacher,
  options: { delta: 0.5, weight: 2 },
  makeInput: (rng) => ({ studentLogits: normal(rng, 6, 3), teacherLogits: normal(rng, 6, 3) }),
});
describeModelConformance({ model: createWideStudent({ width: 64 }), io: { inputDim: 5, outputDim: 2 } });
