import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, requireBackend, requireGradients, requireNumber, requirePositiveInt, type RegularizerV1, type TrainingClock } from '@pikt/core';
import { type RealArray, requireFinite } from '@pikt/linalg';

/** A differentiable loss of the student's training outputs u (row-major [n, K]). */
export interface OutputLoss {
  value(u: Float64Array): number;
  /** dL/du, same layout as u. */
  grad(u: Float64Array): Float64Array;
  readonly description: string;
}

/** weight/2 ||u - target||^2 (float64). */
export function squaredLoss(target: RealArray, weight = 1): OutputLoss {
  requireFinite('squaredLoss target', target as ArrayLike<number>);
  requireNumber('squaredLoss weight', weight, { min: 0 });
  const t = Float64Array.from(target as ArrayLike<number>);
  const check = (u: Float64Array): void => {
    if (u.length !== t.length) throw new ShapeMismatchError('squaredLoss u vs target', [t.length], [u.length]);
  };
  return {
    description: `${weight}/2 ||u - target||^2`,
    value(u) {
      check(u);
      let s = 0;
      for (let i = 0; i < t.length; i++) s += (u[i] - t[i]) ** 2;
      return 0.5 * weight * s;
    },
    grad(u) {
      check(u);
      return u.map((v, i) => weight * (v - t[i]));
    },
  };
}

/** Sum of losses (values and gradients add). */
export function sumLosses(...terms: OutputLoss[]): OutputLoss {
  if (terms.length === 0) throw new InvalidOptionError('sumLosses(...terms)', 'no terms', 'at least one loss');
  return {
    description: terms.map((t) => t.description).join(' + '),
    value: (u) => terms.reduce((a, t) => a + t.value(u), 0),
    grad(u) {
      const g = new Float64Array(u.length);
      for (const t of terms) {
        const gt = t.grad(u);
        for (let i = 0; i < g.length; i++) g[i] += gt[i];
      }
      return g;
    },
  };
}

/** The PI objective of SCIENCE.md section 2: 1/2||u - y||^2 + lambda/2||u - z||^2. */
export function piObjective(y: RealArray, z: RealArray, lambda: number): OutputLoss {
  return sumLosses(squaredLoss(y, 1), squaredLoss(z, lambda));
}

export interface RegularizerLossContext {
  /** n, the number of training points (rows of u). */
  n: number;
  /** K, the number of outputs. */
  outputs: number;
  /** Float targets y [n, K] when the regularizer needs 'targets'. */
  targets?: RealArray;
  /** Teacher outputs z [n, K] when it needs 'teacherLogits'. */
  teacherLogits?: RealArray;
  /** Multiplies the term (default 1). */
  weight?: number;
  clock?: TrainingClock;
}

/**
 * A `RegularizerV1` from @pikt/core as an output-space loss: value and gradient through tfjs
 * (float32 tensors, tf.grad on the student's logits), returned in float64. Only regularizers that
 * are functions of the outputs qualify (section 4); feature-based ones are refused, since they have
 * no function-space prediction and are trained for real instead.
 */
export function regularizerLoss(reg: RegularizerV1, ctx: RegularizerLossContext): OutputLoss {
  requirePositiveInt('n', ctx.n);
  requirePositiveInt('outputs', ctx.outputs);
  const weight = ctx.weight ?? 1;
  requireNumber('weight', weight, { min: 0 });
  const bad = reg.needs.filter((need) => need === 'teacherFeatures' || need === 'studentFeatures');
  if (bad.length > 0) {
    throw new InvalidOptionError(`${reg.id}.needs`, bad, 'a regularizer of the outputs only (targets, teacherLogits): feature terms have no kernel-regime prediction (SCIENCE.md section 4)');
  }
  const shape: [number, number] = [ctx.n, ctx.outputs];
  const side = (need: 'targets' | 'teacherLogits', a: RealArray | undefined): Float32Array | undefined => {
    if (!reg.needs.includes(need)) return undefined;
    if (!a) throw new InvalidOptionError(need, undefined, `the ${need} [n, K] that ${reg.id} needs`);
    if (a.length !== ctx.n * ctx.outputs) throw new ShapeMismatchError(`${need} for ${reg.id}`, shape, `${a.length} values`);
    return Float32Array.from(a as ArrayLike<number>);
  };
  const targets = side('targets', ctx.targets);
  const teacher = side('teacherLogits', ctx.teacherLogits);
  const inputs = (u: tf.Tensor2D) => ({
    studentLogits: u,
    targets: targets ? tf.tensor2d(targets, shape) : undefined,
    teacherLogits: teacher ? tf.tensor2d(teacher, shape) : undefined,
  });
  return {
    description: `${weight} * ${reg.id}(${JSON.stringify(reg.options)})`,
    value(u) {
      requireBackend('regularizerLoss');
      return tf.tidy(() => weight * scalarValue(reg, reg.compute(inputs(tf.tensor2d(Float32Array.from(u), shape)), ctx.clock)).dataSync()[0]);
    },
    grad(u) {
      requireBackend('regularizerLoss');
      requireGradients('regularizerLoss');
      // A non-scalar must not reach tf.grad's own check: tfjs frees what the tape saved only after a
      // backward pass, so the error is raised after one (on 0 * sum(u)) and the gradient is dropped.
      let failure: unknown;
      const g = tf.tidy(() => tf.grad((x: tf.Tensor) => {
        const v = reg.compute(inputs(x as tf.Tensor2D), ctx.clock);
        try { return scalarValue(reg, v); } catch (err) { failure = err; return tf.mul(0, tf.sum(x)); }
      })(tf.tensor2d(Float32Array.from(u), shape)));
      const data = g.dataSync();
      g.dispose();
      if (failure !== undefined) throw failure;
      return Float64Array.from(data, (v) => weight * v);
    },
  };
}

/** The value of a term must be a scalar: the same ShapeMismatchError as the trainer's. */
function scalarValue(reg: RegularizerV1, v: unknown): tf.Scalar {
  if (!(v instanceof tf.Tensor) || v.rank !== 0) {
    throw new ShapeMismatchError(`the value of loss term "${reg.id}" (${reg.id})`, [], v instanceof tf.Tensor ? v.shape : String(v));
  }
  return v as tf.Scalar;
}
