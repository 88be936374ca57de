// The extension point, used the way a researcher would: define a PI term outside pikt's packages
// with nothing but `defineRegularizer`, and hold it to the same conformance suite as the built-ins.
import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizer } from '@pikt/core';
import { describeRegularizerConformance } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';

/** Huber-smoothed distance to the teacher's logits: sum_i delta^2 (sqrt(1 + ((u_i - z_i)/delta)^2) - 1). */
const pseudoHuberToTeacher = defineRegularizer({
  id: 'pseudo-huber-pi',
  needs: ['teacherLogits'],
  defaults: { delta: 1, weight: 1 },
  validate: (o) => (o.delta > 0 && o.weight >= 0 ? undefined : 'delta > 0 and weight >= 0'),
  compute: ({ studentLogits, teacherLogits }, o) =>
    tf.tidy(() => {
      const r = tf.div(tf.sub(studentLogits, teacherLogits), o.delta);
      return tf.mul(o.weight * o.delta * o.delta, tf.sum(tf.sub(tf.sqrt(tf.add(1, tf.square(r))), 1)));
    }),
});

describeRegularizerConformance({
  factory: pseudoHuberToTeacher,
  options: { delta: 0.5, weight: 2 },
  makeInput: (rng) => ({
    studentLogits: tf.tensor2d(rng.fillNormal(new Float32Array(6 * 3)), [6, 3]),
    teacherLogits: tf.tensor2d(rng.fillNormal(new Float32Array(6 * 3)), [6, 3]),
  }),
});

describe('custom regularizer value', () => {
  it('equals the closed form on a hand-made example', () => {
    const reg = pseudoHuberToTeacher({ delta: 1, weight: 1 });
    const v = tf.tidy(() => reg.compute({ studentLogits: tf.tensor2d([[3, 0]]), teacherLogits: tf.tensor2d([[-1, 0]]) }).dataSync()[0]);
    expect(v).toBeCloseTo(Math.sqrt(17) - 1, 5);
  });
});
