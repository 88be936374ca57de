import * as tf from '@tensorflow/tfjs-core';
import {
  PiktError, ShapeMismatchError,
  type ActivationPatterns, type ModelV1, type ParamTensors, type RegularizerInput, type RegularizerV1, type TrainingClock,
} from '@pikt/core';

/** A loss term with the name it carries in events (`terms` of step-end). */
export interface NamedTerm {
  name: string;
  regularizer: RegularizerV1;
}

/** The tensors of one batch; every tensor is [batch, dim]. */
export interface BatchTensors {
  x: tf.Tensor2D;
  targets?: tf.Tensor2D;
  teacherLogits?: tf.Tensor2D;
  teacherFeatures?: tf.Tensor2D;
}

export type GradientMode = 'vjp' | 'autodiff';

export interface LossAndGradients {
  /** Sum of the term values, L = sum_t L_t(u). */
  loss: number;
  terms: Record<string, number>;
  /** dL/dp for every trainable parameter (caller disposes). */
  grads: Record<string, tf.Tensor>;
}

/**
 * How gradients are taken: the model's hand-written `vjp` when it has one and no term looks at the
 * student's features (a vjp receives only dL/dlogits), else tfjs autodiff through `apply`.
 */
export function gradientMode(model: ModelV1, terms: readonly NamedTerm[]): GradientMode {
  const needsFeatures = terms.some((t) => t.regularizer.needs.includes('studentFeatures'));
  return model.vjp && !needsFeatures ? 'vjp' : 'autodiff';
}

/**
 * The total loss L(W) = sum_t L_t(f(X; W)) on one batch, each term's value, and dL/dW for the
 * trainable parameters, reading the term values with `await data()` (GPU backends have no fast
 * synchronous read). The training loop uses `lossGradientTensors` and reads many steps at once.
 *
 * vjp mode: dL/du is taken by tfjs autodiff of the output-space loss (cheap: u is [batch, K]), then
 * dL/dW = (du/dW)^T dL/du comes from `model.vjp` (hand-written backprop, no transposed matMul), or
 * from the model's `applyWithVjp` when it has one (forward and backward in one pass).
 * autodiff mode: tf.valueAndGrads through `model.apply` over the trainable parameters only.
 */
export async function lossAndGradientsAsync(
  model: ModelV1, params: ParamTensors, trainable: readonly string[], terms: readonly NamedTerm[],
  batch: BatchTensors, clock: TrainingClock, mode: GradientMode,
): Promise<LossAndGradients> {
  const { values, grads } = lossGradientTensors(model, params, trainable, terms, batch, clock, mode);
  try {
    return { ...summarizeTerms(terms, await values.data()), grads };
  } catch (err) {
    tf.dispose(Object.values(grads));
    throw err;
  } finally {
    values.dispose();
  }
}

/** loss = sum_t L_t and each term by name, from the stacked values [T] (float64 sum, in term order). */
export function summarizeTerms(terms: readonly NamedTerm[], values: ArrayLike<number>): { loss: number; terms: Record<string, number> } {
  const termValues: Record<string, number> = {};
  let loss = 0;
  terms.forEach((t, i) => { termValues[t.name] = values[i]; loss += values[i]; });
  return { loss, terms: termValues };
}

/**
 * The gradients and the stacked term values [T], both still on the backend (caller disposes), and
 * with `keepLogits` the logits u = f(X; W) of the same forward pass: they are the outputs an
 * evaluation at W would compute (the same kernels on the same inputs), so the loop records u(k)
 * from step k + 1's forward pass instead of running another one. With `keepPatterns` (vjp mode,
 * a model with `applyWithVjp`) also that forward pass's activation patterns (caller disposes).
 */
export function lossGradientTensors(
  model: ModelV1, params: ParamTensors, trainable: readonly string[], terms: readonly NamedTerm[],
  batch: BatchTensors, clock: TrainingClock, mode: GradientMode, keepLogits = false, keepPatterns = false,
): { values: tf.Tensor1D; grads: Record<string, tf.Tensor>; logits?: tf.Tensor2D; patterns?: ActivationPatterns } {
  const kept: tf.Scalar[] = [];
  let logitsKept: tf.Tensor2D | undefined;
  const keptPatterns: { patterns?: ActivationPatterns } = {};
  let failure: unknown;
  // Sum of the terms; each term's scalar is kept past the gradient's tidy so its value can be read.
  // A term that throws or returns a non-scalar must not throw inside the gradient tape: tfjs frees
  // the tensors the tape saved only after a completed backward pass, so an exception there leaks
  // them. The failure is recorded, the forward pass ends with 0 * sum(u) (still connected to the
  // parameters), and the error is thrown once the gradients are computed and disposed.
  const total = (logits: tf.Tensor2D, features: tf.Tensor2D | undefined): tf.Scalar => {
    if (keepLogits) logitsKept = tf.keep(tf.clone(logits));
    const input: RegularizerInput = { studentLogits: logits, ...batchInputs(batch) };
    if (features) input.studentFeatures = features;
    const values: tf.Scalar[] = [];
    for (const t of terms) {
      let v: unknown;
      try {
        v = t.regularizer.compute(input, clock);
      } catch (err) {
        failure = err;
        break;
      }
      if (!(v instanceof tf.Tensor) || v.rank !== 0) {
        failure = new ShapeMismatchError(`the value of loss term "${t.name}" (${t.regularizer.id})`, [], v instanceof tf.Tensor ? v.shape : String(v));
        break;
      }
      kept.push(tf.keep(v as tf.Scalar));
      values.push(v as tf.Scalar);
    }
    if (failure !== undefined) return tf.mul(0, tf.sum(logits));
    return values.length === 1 ? values[0] : tf.addN(values);
  };
  try {
    const grads = tf.tidy(() => (mode === 'vjp'
      ? vjpGradients(model, params, trainable, batch.x, total, keepPatterns ? keptPatterns : undefined)
      : autodiffGradients(model, params, trainable, batch.x, total)));
    if (failure !== undefined) {
      tf.dispose(Object.values(grads));
      throw failure;
    }
    if (keepPatterns && !keptPatterns.patterns) {
      tf.dispose(Object.values(grads));
      throw new PiktError('PIKT_NO_ACTIVATION_PATTERNS', `Model "${model.id}" applyWithVjp returned no activation patterns though keepPatterns was asked.`,
        'Return `patterns` from applyWithVjp when options.keepPatterns is true (see ModelV1.activationPatterns).');
    }
    return { values: tf.stack(kept) as tf.Tensor1D, grads, ...(logitsKept ? { logits: logitsKept } : {}), ...(keptPatterns.patterns ? { patterns: keptPatterns.patterns } : {}) };
  } catch (err) {
    logitsKept?.dispose();
    if (keptPatterns.patterns) tf.dispose(keptPatterns.patterns.blocks);
    throw err;
  } finally {
    tf.dispose(kept);
  }
}

function batchInputs(b: BatchTensors): Omit<RegularizerInput, 'studentLogits'> {
  const out: Omit<RegularizerInput, 'studentLogits'> = {};
  if (b.targets) out.targets = b.targets;
  if (b.teacherLogits) out.teacherLogits = b.teacherLogits;
  if (b.teacherFeatures) out.teacherFeatures = b.teacherFeatures;
  return out;
}

type TotalFn = (logits: tf.Tensor2D, features: tf.Tensor2D | undefined) => tf.Scalar;

function vjpGradients(
  model: ModelV1, params: ParamTensors, trainable: readonly string[], x: tf.Tensor2D, total: TotalFn, patternsOut?: { patterns?: ActivationPatterns },
): Record<string, tf.Tensor> {
  const dLoss = (logits: tf.Tensor2D) => tf.grad((u: tf.Tensor) => total(u as tf.Tensor2D, undefined))(logits) as tf.Tensor2D;
  let vjp: Partial<Record<string, tf.Tensor>>;
  if (model.applyWithVjp) {
    const out = model.applyWithVjp(params, x, dLoss, patternsOut ? { keepPatterns: true } : undefined);
    vjp = out.grads;
    // Kept past the caller's tidy: the patterns outlive this step until their consumer has read them.
    if (patternsOut && out.patterns) patternsOut.patterns = { ...out.patterns, blocks: out.patterns.blocks.map((b) => tf.keep(b)) };
  } else {
    const { logits } = model.apply(params, x);
    vjp = (model.vjp as NonNullable<ModelV1['vjp']>)(params, x, dLoss(logits));
  }
  const grads: Record<string, tf.Tensor> = {};
  for (const name of trainable) {
    const g = vjp[name];
    if (!g) {
      throw new PiktError('PIKT_MISSING_GRADIENT', `Model "${model.id}" vjp returned no gradient for trainable parameter "${name}".`,
        `Return a gradient for every name in model.trainable (${trainable.join(', ')}), or list only the parameters the vjp covers.`);
    }
    if (g.shape.join() !== params[name].shape.join()) {
      throw new ShapeMismatchError(`model "${model.id}" vjp gradient for "${name}"`, params[name].shape, g.shape);
    }
    grads[name] = g;
  }
  return grads;
}

function autodiffGradients(model: ModelV1, params: ParamTensors, trainable: readonly string[], x: tf.Tensor2D, total: TotalFn): Record<string, tf.Tensor> {
  const f = (...ps: tf.Tensor[]): tf.Scalar => {
    const p: ParamTensors = { ...params };
    trainable.forEach((name, i) => { p[name] = ps[i]; });
    const out = model.apply(p, x);
    return total(out.logits, out.features);
  };
  const { grads } = tf.valueAndGrads(f)(trainable.map((name) => params[name]));
  const out: Record<string, tf.Tensor> = {};
  trainable.forEach((name, i) => { out[name] = grads[i]; });
  return out;
}
