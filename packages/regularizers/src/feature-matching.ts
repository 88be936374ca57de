import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError, defineRegularizer, requireNumber, requireOneOf } from '@pikt/core';
import { projectionPair } from './random-projection.js';
import { reduceBatch, checkReduction, type Reduction } from './reduction.js';

export type FeatureMatchingOptions = {
  weight: number;
  /**
   * How student features (width ds) meet teacher features (width dt): 'random' maps them through a
   * fixed Gaussian R [ds, dt] (see `randomProjection`); 'none' compares them directly (ds = dt),
   * e.g. with a student whose own learned projection has width dt (wide student features: 'projected').
   */
  projection: 'random' | 'none';
  /** Seed of the fixed random projection. */
  seed: number;
  reduction: Reduction;
};

/**
 * Feature matching (FitNets-style hints; SCIENCE.md sections 1 and 4), s = student features,
 * t = teacher features:
 *
 *   L = w/2 * sum_i || s_i R - t_i ||^2      (projection 'random', R fixed)
 *   L = w/2 * sum_i || s_i - t_i ||^2        (projection 'none')
 *
 * A learned projection is a trainable parameter, and regularizers hold no parameters: it lives in
 * the student (`createWideStudent({ features: 'projected', featureDim: dt })` returns phi(x) P with
 * P trained alongside W), and this term then runs with projection 'none'. Reading the student's
 * features means trainers take gradients by autodiff (a model's vjp only carries dL/dlogits).
 * No kernel-regime prediction exists for this term (SCIENCE.md section 4).
 */
export const featureMatching = defineRegularizer({
  id: 'feature-matching',
  needs: ['studentFeatures', 'teacherFeatures'],
  defaults: { weight: 1, projection: 'random', seed: 0, reduction: 'sum' } as FeatureMatchingOptions,
  validate: (o) => {
    requireNumber('feature-matching.weight', o.weight, { min: 0 });
    requireOneOf('feature-matching.projection', o.projection, ['random', 'none']);
    requireNumber('feature-matching.seed', o.seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
    checkReduction('feature-matching', o.reduction);
  },
  compute: ({ studentFeatures: s, teacherFeatures: t }, o) => {
    const [ds, dt] = [s.shape[1], t.shape[1]];
    if (o.projection === 'none' && ds !== dt) {
      throw new ShapeMismatchError("feature-matching (projection 'none'): studentFeatures vs teacherFeatures width", [dt], [ds]);
    }
    return tf.tidy(() => {
      const mapped = o.projection === 'random' ? project(s, o.seed, dt) : s;
      return tf.mul(o.weight / 2, reduceBatch(tf.square(tf.sub(mapped, t)), o.reduction));
    });
  },
});

/**
 * s R with a hand-written gradient dL/ds = dL/d(sR) R^T that multiplies by an explicit R^T:
 * tfjs's own matMul gradient uses the transpose flags, 10-50x slower on wasm.
 */
function project(s: tf.Tensor2D, seed: number, dt: number): tf.Tensor2D {
  const ds = s.shape[1];
  const { r, rT } = projectionPair(seed, ds, dt);
  const f = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.matMul(inputs[0] as tf.Tensor2D, tf.tensor2d(r, [ds, dt])),
    gradFunc: (dy: tf.Tensor) => tf.matMul(dy as tf.Tensor2D, tf.tensor2d(rT, [dt, ds])),
  }));
  return f(s) as tf.Tensor2D;
}
