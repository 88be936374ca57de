import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import { InvalidOptionError, MissingInputError, ShapeMismatchError } from '../errors.js';
import type { JsonObject } from './json.js';

/** Inputs a regularizer may ask for, besides the student's logits which it always gets. */
export type RegularizerNeed = 'targets' | 'teacherLogits' | 'teacherFeatures' | 'studentFeatures';

export const REGULARIZER_NEEDS: readonly RegularizerNeed[] = ['targets', 'teacherLogits', 'teacherFeatures', 'studentFeatures'];

/** Everything a PI term can look at for one batch; all tensors are [batch, dim]. */
export interface RegularizerInput {
  studentLogits: Tensor2D;
  /** Float targets y (see DatasetSpec for the vocabulary). */
  targets?: Tensor2D;
  teacherLogits?: Tensor2D;
  teacherFeatures?: Tensor2D;
  studentFeatures?: Tensor2D;
}

/** Where training is; scheduled regularizers read it. */
export interface TrainingClock {
  step: number;
  epoch: number;
  totalSteps?: number;
}

/**
 * What kernel-regime prediction a term admits (SCIENCE.md sections 3-4), so an app picks the
 * predictor from what the terms declare instead of from their names:
 *
 *   quadratic:    L(u) = sum_j w_j / 2 ||u - t_j||^2 with t_j the labels or the teacher's logits
 *                 (summed over the batch): the closed-form predictor applies;
 *   output-loss:  a differentiable loss of the outputs u only: integrate u(k+1) = u(k) - eta H grad_u L;
 *   none:         no kernel prediction (e.g. a loss of hidden features, or a time-varying weight).
 */
export type RegularizerPrediction =
  | { kind: 'quadratic'; parts: ReadonlyArray<{ weight: number; target: 'targets' | 'teacherLogits' }> }
  | { kind: 'output-loss' }
  | { kind: 'none'; reason: string };

/** A PI / knowledge-transfer loss term, version 1. `compute` returns a scalar to be minimised. */
export interface RegularizerV1<O extends JsonObject = JsonObject> {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly needs: readonly RegularizerNeed[];
  readonly options: Readonly<O>;
  /** The prediction this term admits; absent: see `predictionOf` (inferred from `needs`). */
  readonly prediction?: RegularizerPrediction;
  compute(input: RegularizerInput, clock?: TrainingClock): Scalar;
  /** JSON form `{ id, options }`; the factory rebuilds an equal regularizer from `options`. */
  toJSON(): { id: string; options: O };
}

/** The input type a definition's `compute` sees: every declared need is present. */
export type ResolvedInput<N extends RegularizerNeed> = RegularizerInput & { [K in N]-?: Tensor2D };

/** What a regularizer author writes: see `defineRegularizer`. */
export interface RegularizerDefinition<O extends JsonObject, N extends RegularizerNeed = RegularizerNeed> {
  id: string;
  needs: readonly N[];
  defaults: O;
  /** Throw `InvalidOptionError` (or return a message) when options are out of range. */
  validate?(options: O): string | void;
  /** The prediction an instance with these options admits (default: inferred from `needs`). */
  prediction?(options: O): RegularizerPrediction;
  compute(input: ResolvedInput<N>, options: O, clock: TrainingClock): Scalar;
}

export interface RegularizerFactory<O extends JsonObject> {
  (options?: Partial<O>): RegularizerV1<O>;
  readonly id: string;
  readonly needs: readonly RegularizerNeed[];
  readonly defaults: Readonly<O>;
}

const DEFAULT_CLOCK: TrainingClock = { step: 0, epoch: 0 };

/**
 * The one function a custom-regularizer author needs. It returns a factory taking JSON options;
 * the regularizers it makes check their options (unknown keys, wrong types, `validate`), check that
 * every declared need is present and shaped like the student's logits where that applies, and only
 * then call `compute`.
 *
 * @example
 * const l2ToTeacher = defineRegularizer({
 *   id: 'my-l2', needs: ['teacherLogits'], defaults: { weight: 1 },
 *   validate: (o) => (o.weight >= 0 ? undefined : 'weight must be >= 0'),
 *   compute: ({ studentLogits, teacherLogits }, o) =>
 *     tf.tidy(() => tf.mul(o.weight / 2, tf.sum(tf.square(tf.sub(studentLogits, teacherLogits))))),
 * });
 * const term = l2ToTeacher({ weight: 0.5 });
 */
export function defineRegularizer<O extends JsonObject, N extends RegularizerNeed>(
  definition: RegularizerDefinition<O, N>,
): RegularizerFactory<O> {
  for (const need of definition.needs) {
    if (!REGULARIZER_NEEDS.includes(need)) {
      throw new InvalidOptionError(`${definition.id}.needs`, need, `one of ${REGULARIZER_NEEDS.join(', ')}`);
    }
  }
  const factory = (partial: Partial<O> = {}): RegularizerV1<O> => {
    const options = resolveOptions(definition.id, definition.defaults, partial);
    const problem = definition.validate?.(options);
    if (typeof problem === 'string') throw validationError(definition.id, options, problem);
    const frozen = Object.freeze(structuredClone(options)) as Readonly<O>;
    return {
      specificationVersion: 'v1',
      id: definition.id,
      needs: definition.needs,
      options: frozen,
      ...(definition.prediction ? { prediction: definition.prediction(frozen as O) } : {}),
      compute(input, clock = DEFAULT_CLOCK) {
        checkInput(definition.id, definition.needs, input);
        return definition.compute(input as ResolvedInput<N>, frozen as O, clock);
      },
      toJSON: () => ({ id: definition.id, options: structuredClone(frozen) as O }),
    };
  };
  return Object.assign(factory, { id: definition.id, needs: definition.needs, defaults: Object.freeze({ ...definition.defaults }) });
}

/**
 * The prediction a term admits: its declaration, or, when it declares none, 'output-loss' for a
 * term of the outputs only (needs within labels, teacherLogits) and 'none' for a term of features.
 */
export function predictionOf(term: Pick<RegularizerV1, 'id' | 'needs' | 'prediction'>): RegularizerPrediction {
  if (term.prediction) return term.prediction;
  const features = term.needs.filter((n) => n === 'teacherFeatures' || n === 'studentFeatures');
  return features.length === 0
    ? { kind: 'output-loss' }
    : { kind: 'none', reason: `${term.id} acts on ${features.join(' and ')}, not on the outputs, so the output-space kernel predictor does not apply` };
}

/**
 * The prediction of L = sum_j w_j L_j (weights default to 1): quadratic when every term is (weights
 * multiplied in), none when any term has none (its reason), else a loss of the outputs.
 */
export function combinePredictions(terms: ReadonlyArray<Pick<RegularizerV1, 'id' | 'needs' | 'prediction'>>, weights?: readonly number[]): RegularizerPrediction {
  const own = terms.map((t) => predictionOf(t));
  const none = own.find((p) => p.kind === 'none');
  if (none) return none;
  if (own.every((p) => p.kind === 'quadratic')) {
    const w = (i: number) => weights?.[i] ?? 1;
    return { kind: 'quadratic', parts: own.flatMap((p, i) => (p.kind === 'quadratic' ? p.parts.map((q) => ({ weight: w(i) * q.weight, target: q.target })) : [])) };
  }
  return { kind: 'output-loss' };
}

/** Merge JSON options over defaults, rejecting unknown keys and values whose JSON type differs. */
export function resolveOptions<O extends JsonObject>(owner: string, defaults: O, partial: Partial<O>): O {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new InvalidOptionError(owner, partial, 'an options object');
  }
  const out = structuredClone(defaults) as JsonObject;
  for (const [key, value] of Object.entries(partial)) {
    if (!(key in defaults)) {
      throw new InvalidOptionError(`${owner}.${key}`, value, `one of the known options: ${Object.keys(defaults).join(', ') || '(none)'}`);
    }
    if (value === undefined) continue;
    const def = defaults[key];
    if (def !== null && jsonType(def) !== jsonType(value)) {
      throw new InvalidOptionError(`${owner}.${key}`, value, `a ${jsonType(def)}`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new InvalidOptionError(`${owner}.${key}`, value, 'a finite number');
    }
    out[key] = structuredClone(value) as JsonObject[string];
  }
  return out as O;
}

/**
 * The error for a message returned by `validate`: the option it is about is the first option name
 * the message mentions ("delta must be > 0" -> "delta"), so the error names that option and its
 * value, not the whole options object.
 */
function validationError(id: string, options: JsonObject, problem: string): InvalidOptionError {
  const mentioned = Object.keys(options)
    .map((key) => ({ key, at: problem.search(new RegExp(`\\b${key.replace(/[^\w]/g, '\\$&')}\\b`)) }))
    .filter((m) => m.at >= 0)
    .sort((a, b) => a.at - b.at)[0]?.key;
  return mentioned === undefined
    ? new InvalidOptionError(`options`, options, problem, { owner: `regularizer "${id}"` })
    : new InvalidOptionError(mentioned, options[mentioned], problem, { owner: `regularizer "${id}"` });
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function checkInput(owner: string, needs: readonly RegularizerNeed[], input: RegularizerInput): void {
  if (!input || !input.studentLogits) throw new MissingInputError(owner, 'studentLogits');
  const shape = input.studentLogits.shape;
  for (const need of needs) {
    const t = input[need];
    if (!t) throw new MissingInputError(owner, need);
    if (t.shape[0] !== shape[0]) {
      throw new ShapeMismatchError(`${owner}: ${need} vs studentLogits (batch size)`, [shape[0]], [t.shape[0]]);
    }
    if ((need === 'targets' || need === 'teacherLogits') && t.shape[1] !== shape[1]) {
      throw new ShapeMismatchError(`${owner}: ${need} vs studentLogits`, shape, t.shape);
    }
  }
}
