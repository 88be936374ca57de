import * as tf from '@tensorflow/tfjs-core';
import type { Scalar } from '@tensorflow/tfjs-core';
import {
  InvalidOptionError, REGULARIZER_NEEDS, combinePredictions, resolveOptions,
  type JsonObject, type RegularizerPrediction, type RegularizerFactory, type RegularizerInput, type RegularizerV1, type TrainingClock,
} from '@pikt/core';
import { SCHEDULE_DEFAULTS, scheduleWeight, validateSchedule, type ScheduleOptions } from './schedule.js';
import { buildTerm, checkNeeds, requireFinite, specOf, unionNeeds, type RegularizerResolver, type TermSpec } from './term-spec.js';

export type SumOptions = { terms: Array<TermSpec & { weight?: number }> };
export type WeightedOptions = { weight: number; term: TermSpec };
export type ScheduledOptions = ScheduleOptions & { term: TermSpec };

const DEFAULT_CLOCK: TrainingClock = { step: 0, epoch: 0 };

/**
 * Make a factory whose instances combine child regularizers. `build` validates the options past
 * core's key/type checks, builds the children through the resolver and returns the normalized
 * options (children with their resolved options, so a JSON round trip gives equal options) and
 * how to combine the children's values. `needs` is the union of the children's needs.
 */
function defineCombinator<O extends JsonObject>(
  id: string, defaults: O,
  build: (o: O) => { options: O; children: RegularizerV1[]; combine(values: Scalar[], clock: TrainingClock): Scalar; prediction: RegularizerPrediction },
): RegularizerFactory<O> {
  const factory = (partial: Partial<O> = {}): RegularizerV1<O> => {
    const built = build(resolveOptions(id, defaults, partial));
    const needs = unionNeeds(built.children);
    const options = Object.freeze(structuredClone(built.options)) as Readonly<O>;
    return {
      specificationVersion: 'v1',
      id,
      needs,
      options,
      prediction: built.prediction,
      compute(input: RegularizerInput, clock: TrainingClock = DEFAULT_CLOCK) {
        checkNeeds(id, needs, input);
        return tf.tidy(() => built.combine(built.children.map((c) => c.compute(input, clock)), clock));
      },
      toJSON: () => ({ id, options: structuredClone(options) as O }),
    };
  };
  // Instances declare exactly their children's needs; the factory can only say what any instance may need.
  return Object.assign(factory, { id, needs: REGULARIZER_NEEDS, defaults: Object.freeze({ ...defaults }) });
}

/**
 * The combinators, resolving child ids through `resolver` (a core Registry of regularizer factories,
 * or a function returning one, so a registry can hold combinators that refer back to it):
 *
 *   sum:        L = sum_j w_j L_j                      { terms: [{ id, options, weight = 1 }, ...] }
 *   weighted:   L = w L_child                          { weight, term: { id, options } }
 *   scheduled:  L = w(clock) L_child                   { term, kind, from, to, start, end, unit, boundaries, values }
 *
 * with w(clock) from `scheduleWeight` (linear, cosine or step schedules over steps or epochs).
 */
export function createCombinators(resolver: RegularizerResolver | (() => RegularizerResolver)): {
  sum: RegularizerFactory<SumOptions>;
  weighted: RegularizerFactory<WeightedOptions>;
  scheduled: RegularizerFactory<ScheduledOptions>;
} {
  const resolve = () => (typeof resolver === 'function' ? resolver() : resolver);

  const sum = defineCombinator<SumOptions>('sum', { terms: [] }, (o) => {
    if (o.terms.length === 0) throw new InvalidOptionError('sum.terms', o.terms, 'at least one term { id, options, weight }');
    const children = o.terms.map((spec, i) => buildTerm(`sum.terms[${i}]`, spec, resolve()));
    const weights = o.terms.map((spec, i) => (spec.weight === undefined ? 1 : requireFinite(`sum.terms[${i}].weight`, spec.weight)));
    return {
      options: { terms: children.map((c, i) => ({ ...specOf(c), weight: weights[i] })) },
      children,
      prediction: combinePredictions(children, weights),
      combine: (values) => tf.addN(values.map((v, i) => (weights[i] === 1 ? v : tf.mul(weights[i], v)))) as Scalar,
    };
  });

  const weighted = defineCombinator<WeightedOptions>('weighted', { weight: 1, term: { id: '' } }, (o) => {
    const child = buildTerm('weighted.term', o.term, resolve());
    return { options: { weight: o.weight, term: specOf(child) }, children: [child], prediction: combinePredictions([child], [o.weight]), combine: ([v]) => tf.mul(o.weight, v) as Scalar };
  });

  const scheduled = defineCombinator<ScheduledOptions>('scheduled', { ...SCHEDULE_DEFAULTS, boundaries: [], values: [], term: { id: '' } }, (o) => {
    validateSchedule('scheduled', o);
    const child = buildTerm('scheduled.term', o.term, resolve());
    return {
      options: { ...o, term: specOf(child) },
      children: [child],
      // The kernel predictors integrate a fixed loss; a weight that changes with the clock has none.
      prediction: { kind: 'none', reason: 'a scheduled term\'s weight changes during training, and the kernel predictors integrate a fixed loss' },
      combine: ([v], clock) => tf.mul(scheduleWeight(o, clock), v) as Scalar,
    };
  });

  return { sum, weighted, scheduled };
}
