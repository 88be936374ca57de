import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { ShapeMismatchError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { featureMatching } from './feature-matching.js';
import { randomProjection } from './random-projection.js';
import { randomMatrix, scalar } from './test-helpers.js';

// Activated before the module-level tensors below are made.
await createCpuBackend().activate();

const u = randomMatrix(0, 4, 2);

describe('feature-matching', () => {
  const s = randomMatrix(1, 4, 30);
  const t = randomMatrix(2, 4, 5);
  it("projection 'none': w/2 sum_i ||s_i - t_i||^2", () => {
    const s5 = randomMatrix(3, 4, 5);
    const want = 1.5 * s5.v.reduce((acc, v, i) => acc + (v - t.v[i]) ** 2, 0);
    expect(scalar(featureMatching({ projection: 'none', weight: 3 }).compute({ studentLogits: u.t, studentFeatures: s5.t, teacherFeatures: t.t }))).toBeCloseTo(want, 4);
  });
  it("projection 'random': w/2 sum_i ||s_i R - t_i||^2 with the seeded R (float64 check)", () => {
    const R = randomProjection(7, 30, 5);
    let want = 0;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 5; j++) {
        let proj = 0;
        for (let r = 0; r < 30; r++) proj += s.v[i * 30 + r] * R[r * 5 + j];
        want += (proj - t.v[i * 5 + j]) ** 2;
      }
    }
    const got = scalar(featureMatching({ seed: 7 }).compute({ studentLogits: u.t, studentFeatures: s.t, teacherFeatures: t.t }));
    expect(got).toBeCloseTo(want / 2, 4);
  });
  it('its hand-written gradient equals autodiff through a plain matMul', () => {
    const reg = featureMatching({ seed: 7, weight: 2 });
    const R = tf.tensor2d(randomProjection(7, 30, 5), [30, 5]);
    const mine = tf.grad((x: tf.Tensor) => reg.compute({ studentLogits: u.t, studentFeatures: x as tf.Tensor2D, teacherFeatures: t.t }))(s.t).dataSync();
    const plain = tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.sub(tf.matMul(x as tf.Tensor2D, R), t.t))))(s.t).dataSync();
    mine.forEach((v, i) => expect(v).toBeCloseTo(plain[i], 5));
  });
  it('draws R ~ N(0, 1/dt), deterministic in the seed, norm-preserving on average', () => {
    const R = randomProjection(1, 400, 50);
    expect(randomProjection(1, 400, 50)).toBe(R);
    expect(randomProjection(2, 400, 50)[0]).not.toBe(R[0]);
    const variance = R.reduce((acc, v) => acc + v * v, 0) / R.length;
    expect(variance * 50).toBeGreaterThan(0.95);
    expect(variance * 50).toBeLessThan(1.05);
  });
  it("'none' with different widths names both widths", () => {
    expect(() => featureMatching({ projection: 'none' }).compute({ studentLogits: u.t, studentFeatures: s.t, teacherFeatures: t.t })).toThrow(ShapeMismatchError);
    expect(() => featureMatching({ projection: 'none' }).compute({ studentLogits: u.t, studentFeatures: s.t, teacherFeatures: t.t })).toThrow(/expected \[5\], found \[30\]/);
    expect(() => featureMatching({ projection: 'learned' as never })).toThrow('Invalid option "feature-matching.projection": got "learned". Expected one of "random", "none".');
  });
});
