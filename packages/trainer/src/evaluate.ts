import * as tf from '@tensorflow/tfjs-core';
import { accuracy, distance, type ModelV1, type ParamTensors, type RegularizerInput, type TrainingClock } from '@pikt/core';
import type { BatchTensors, NamedTerm } from './loss-gradients.js';

/** Metric names the trainer computes itself; loss terms may not use them as names. */
export const RESERVED_METRICS = ['loss', 'accuracy', 'labelError', 'teacherError'] as const;

export interface SplitEvaluation {
  /**
   * Each term the split can feed, `loss` (their sum, when every term could be evaluated),
   * `labelError` = ||u - y||_F and `accuracy` when targets are present, `teacherError` = ||u - z||_F
   * when teacher logits are.
   */
  metrics: Record<string, number>;
  /** u = f(X; W), row-major [n, outputDim]. */
  outputs: Float32Array;
  /** True when every term was evaluated (so metrics.loss is the training objective). */
  complete: boolean;
}

/**
 * Evaluate the model on a whole split: outputs u, every loss term whose inputs the split has, and the
 * distances ||u - y||_F (label error, SCIENCE.md P4) and ||u - z||_F (to the teacher), in float64.
 * Accuracy is core's `accuracy` (argmax for K > 1, ties to the lowest index; for K = 1 with targets
 * in {-1, +1}, u > 0 is class +1 and u <= 0 class -1): the rule the predicted accuracies use too.
 */
export function evaluateSplit(model: ModelV1, params: ParamTensors, split: BatchTensors, terms: readonly NamedTerm[], clock: TrainingClock): SplitEvaluation {
  const t = splitTensors(model, params, split, terms, clock);
  try {
    return summarizeSplit(split, terms, Float32Array.from(t.logits.dataSync()), t.values.dataSync(), t.evaluated,
      split.targets?.dataSync(), split.teacherLogits?.dataSync());
  } finally {
    tf.dispose([t.logits, t.values]);
  }
}

/** `evaluateSplit` reading back with `await data()` (GPU backends have no fast synchronous read). */
export async function evaluateSplitAsync(model: ModelV1, params: ParamTensors, split: BatchTensors, terms: readonly NamedTerm[], clock: TrainingClock): Promise<SplitEvaluation> {
  const t = splitTensors(model, params, split, terms, clock);
  try {
    const [logits, values, targets, teacher] = await Promise.all([t.logits.data(), t.values.data(), split.targets?.data(), split.teacherLogits?.data()]);
    return summarizeSplit(split, terms, Float32Array.from(logits), values, t.evaluated, targets, teacher);
  } finally {
    tf.dispose([t.logits, t.values]);
  }
}

function splitTensors(model: ModelV1, params: ParamTensors, split: BatchTensors, terms: readonly NamedTerm[], clock: TrainingClock) {
  return tf.tidy(() => {
    const out = model.apply(params, split.x);
    const input: RegularizerInput = { studentLogits: out.logits };
    if (split.targets) input.targets = split.targets;
    if (split.teacherLogits) input.teacherLogits = split.teacherLogits;
    if (split.teacherFeatures) input.teacherFeatures = split.teacherFeatures;
    if (out.features) input.studentFeatures = out.features;
    const usable = terms.filter((t) => t.regularizer.needs.every((need) => input[need] !== undefined));
    const values = usable.length > 0 ? tf.stack(usable.map((t) => t.regularizer.compute(input, clock))) : tf.zeros([0]);
    // clone: a model may return one of its inputs as the logits, and the caller disposes these.
    return { logits: tf.clone(out.logits), values, evaluated: usable.map((t) => t.name) };
  });
}

function summarizeSplit(split: BatchTensors, terms: readonly NamedTerm[], outputs: Float32Array, values: ArrayLike<number>,
  evaluated: string[], targets: ArrayLike<number> | undefined, teacher: ArrayLike<number> | undefined): SplitEvaluation {
  const termValues = Array.from(values);
  const metrics: Record<string, number> = {};
  evaluated.forEach((name, i) => { metrics[name] = termValues[i]; });
  const complete = evaluated.length === terms.length;
  if (complete) metrics.loss = termValues.reduce((a, b) => a + b, 0);
  const k = split.x.shape[0] > 0 ? outputs.length / split.x.shape[0] : 1;
  if (split.targets && targets) {
    const y = targets;
    metrics.labelError = distance(outputs, y);
    const acc = accuracy(outputs, y, k);
    if (acc !== undefined) metrics.accuracy = acc;
  }
  if (split.teacherLogits && teacher) metrics.teacherError = distance(outputs, teacher);
  return { metrics, outputs, complete };
}
