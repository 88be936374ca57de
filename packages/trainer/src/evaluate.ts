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

/** Host copies of a split's targets and teacher logits (the arrays the split's tensors were made from). */
export interface SplitHost {
  targets?: ArrayLike<number>;
  teacherLogits?: ArrayLike<number>;
}

/** The tensors of one evaluation, still on the backend: logits [n, K] and the evaluated terms' values [T]. */
export interface EvalTensors {
  logits: tf.Tensor;
  values: tf.Tensor;
  /** Names of the terms in `values`, in order. */
  evaluated: string[];
}

/**
 * Evaluate the model on a whole split: outputs u, every loss term whose inputs the split has, and the
 * distances ||u - y||_F (label error, SCIENCE.md P4) and ||u - z||_F (to the teacher), in float64.
 * Accuracy is core's `accuracy` (argmax for K > 1, ties to the lowest index; for K = 1 with targets
 * in {-1, +1}, u > 0 is class +1 and u <= 0 class -1): the rule the predicted accuracies use too.
 * Reads back with `await data()` (GPU backends have no fast synchronous read); the training loop
 * instead keeps `evalTensors` pending and reads many evaluations at once (read-queue.ts).
 */
export async function evaluateSplitAsync(model: ModelV1, params: ParamTensors, split: BatchTensors, terms: readonly NamedTerm[], clock: TrainingClock): Promise<SplitEvaluation> {
  const t = evalTensors(model, params, split, terms, clock);
  try {
    const [logits, values, targets, teacher] = await Promise.all([t.logits.data(), t.values.data(), split.targets?.data(), split.teacherLogits?.data()]);
    return summarizeSplit(split.x.shape[0], { targets, teacherLogits: teacher }, terms, Float32Array.from(logits), values, t.evaluated);
  } finally {
    tf.dispose([t.logits, t.values]);
  }
}

/** The evaluation's tensors (the caller disposes them); `summarizeSplit` turns their values into metrics. */
export function evalTensors(model: ModelV1, params: ParamTensors, split: BatchTensors, terms: readonly NamedTerm[], clock: TrainingClock): EvalTensors {
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
  }) as unknown as EvalTensors;
}

/** Metrics of a split of n rows from its outputs u (row-major [n, K]) and the evaluated terms' values. */
export function summarizeSplit(n: number, host: SplitHost, terms: readonly NamedTerm[], outputs: Float32Array, values: ArrayLike<number>,
  evaluated: readonly string[]): SplitEvaluation {
  const termValues = Array.from(values);
  const metrics: Record<string, number> = {};
  evaluated.forEach((name, i) => { metrics[name] = termValues[i]; });
  const complete = evaluated.length === terms.length;
  if (complete) metrics.loss = termValues.reduce((a, b) => a + b, 0);
  const k = n > 0 ? outputs.length / n : 1;
  if (host.targets) {
    const y = host.targets;
    metrics.labelError = distance(outputs, y);
    const acc = accuracy(outputs, y, k);
    if (acc !== undefined) metrics.accuracy = acc;
  }
  if (host.teacherLogits) metrics.teacherError = distance(outputs, host.teacherLogits);
  return { metrics, outputs, complete };
}
