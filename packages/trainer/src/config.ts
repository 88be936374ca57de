import {
  InvalidOptionError, isPlainObject, optionalBoolean, optionalNumber, requireNumber, requireObject, requireOneOf, requireString,
  type JsonObject,
} from '@pikt/core';

export type OptimizerKind = 'gd' | 'sgd' | 'adam';
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['gd', 'sgd', 'adam'];

/**
 * The optimizer. `gd` is full-batch gradient descent W(k+1) = W(k) - lr * grad L(W(k)), the setting
 * of the kernel-regime theory (SCIENCE.md section 2). `sgd` is the same update on mini-batches and
 * `adam` is Kingma & Ba's Adam; both are outside the theory's reach.
 */
export interface OptimizerConfig {
  kind: OptimizerKind;
  /** Learning rate eta > 0. */
  lr: number;
  /** Adam only: first-moment decay in [0, 1) (default 0.9). */
  beta1?: number;
  /** Adam only: second-moment decay in [0, 1) (default 0.999). */
  beta2?: number;
  /** Adam only: denominator guard > 0 (default 1e-8). */
  epsilon?: number;
}

/** What the caller knows about GD's stability (SCIENCE.md P3); the trainer computes no spectra. */
export interface StabilityConfig {
  /** Largest eigenvalue of the NTK Gram H of the training set (computed by the app, e.g. @pikt/ntk). */
  muMax?: number;
  /** Weight lambda of the quadratic PI term; required with `muMax`. */
  lambda?: number;
  /** The bound itself, when known directly: eta < bound. Give either this or muMax + lambda. */
  bound?: number;
  /** Run full-batch GD above the bound anyway (it will be stopped by divergence detection). */
  allowUnstable?: boolean;
}

export interface DivergenceConfig {
  /** Stop when the loss rose at each of the last `window` steps... (0 disables the growth test). */
  window?: number;
  /** ...and is more than `factor` times the lowest loss seen so far (and above the run's first loss: divergence-detector.ts). */
  factor?: number;
}

/** Everything about a run except which model and terms: plain JSON. */
export interface TrainingSettings {
  /** Names the run in events and checkpoints (default: derived from the config's hash). */
  runId?: string;
  /** Seed of the run's RNG: init uses child 'init', mini-batch order child 'batches'.child(epoch). */
  seed: number | string;
  optimizer: OptimizerConfig;
  /** Number of updates; give exactly one of `steps` and `epochs`. */
  steps?: number;
  /** Passes over the training set (gd: one step each; sgd/adam: ceil(n / batchSize) steps each). */
  epochs?: number;
  /** Mini-batch size (sgd: required; adam: default full batch; gd: not allowed). */
  batchSize?: number;
  /** Write a checkpoint every N steps (0: only at the end and on abort). Needs a checkpoint store. */
  checkpointEvery?: number;
  /** Evaluate on the training set (and test set when given) every N steps (0: never). */
  evalEvery?: number;
  /** Steps at which u, the outputs on the whole training set, are recorded (0 = before training). */
  recordOutputsAt?: number[];
  /** Track ||W - W(0)||_F of the trainable parameters every step (default true). */
  trackWeightDistance?: boolean;
  stability?: StabilityConfig;
  divergence?: DivergenceConfig;
  /**
   * Threads to train on (default 1: the calling thread). With W > 1 the wide student is sharded by
   * width, m/W neurons and a tfjs backend per worker thread (Node; wasm or cpu backend; gd or sgd;
   * see README "workers"). Results equal those of 1 up to float32 summation order.
   */
  workers?: number;
}

export interface ModelRef {
  id: string;
  options?: JsonObject;
}

export interface TermRef {
  id: string;
  /** Name of the term in events (default: its id); names must be unique. */
  name?: string;
  options?: JsonObject;
}

/** A whole experiment as a JSON file: the model and loss terms by registry id, plus the settings. */
export interface ExperimentConfig extends TrainingSettings {
  model: ModelRef;
  terms: TermRef[];
}

/** Settings after validation with every default filled in. */
export interface ResolvedSettings extends TrainingSettings {
  /** Adam's beta1, beta2 and epsilon are filled in for Adam only. */
  optimizer: OptimizerConfig;
  checkpointEvery: number;
  evalEvery: number;
  recordOutputsAt: number[];
  trackWeightDistance: boolean;
  divergence: Required<DivergenceConfig>;
}

export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;
export const DIVERGENCE_DEFAULTS: Required<DivergenceConfig> = { window: 5, factor: 10 };
const MAX_STEPS = 1e9;

const SETTINGS_FIELDS = ['runId', 'seed', 'optimizer', 'steps', 'epochs', 'batchSize', 'checkpointEvery', 'evalEvery',
  'recordOutputsAt', 'trackWeightDistance', 'stability', 'divergence', 'workers'] as const;
const EXPERIMENT_FIELDS = [...SETTINGS_FIELDS, 'model', 'terms'] as const;

/**
 * Validate training settings (all checks that do not need the data). Throws `InvalidOptionError`
 * naming the field, e.g. `optimizer.lr`, and the allowed range.
 */
export function validateSettings(raw: unknown, known: readonly string[] = SETTINGS_FIELDS): ResolvedSettings {
  const c = requireObject('', raw, known);
  const seed = c.seed;
  if (!(typeof seed === 'string' && seed.length > 0) && !(typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0)) {
    throw new InvalidOptionError('seed', seed, 'a non-negative integer or a non-empty string');
  }
  const runId = c.runId === undefined ? undefined : requireString('runId', c.runId);
  const optimizer = validateOptimizer(c.optimizer);
  const steps = optionalNumber('steps', c.steps, { integer: true, min: 1, max: MAX_STEPS });
  const epochs = optionalNumber('epochs', c.epochs, { integer: true, min: 1, max: MAX_STEPS });
  if ((steps === undefined) === (epochs === undefined)) {
    throw new InvalidOptionError(steps === undefined ? 'steps' : 'epochs', steps === undefined ? undefined : epochs, 'exactly one of "steps" and "epochs"');
  }
  const batchSize = optionalNumber('batchSize', c.batchSize, { integer: true, min: 1 });
  if (optimizer.kind === 'gd' && batchSize !== undefined) {
    throw new InvalidOptionError('batchSize', batchSize, 'no batchSize with optimizer.kind "gd" (full-batch); use "sgd" for mini-batches');
  }
  if (optimizer.kind === 'sgd' && batchSize === undefined) {
    throw new InvalidOptionError('batchSize', batchSize, 'an integer >= 1 (mini-batch SGD needs a batch size; use "gd" for full batches)');
  }
  const recordOutputsAt = c.recordOutputsAt === undefined ? [] : validateSteps('recordOutputsAt', c.recordOutputsAt);
  const workers = validateWorkers(c.workers, optimizer.kind);
  return {
    ...(runId === undefined ? {} : { runId }),
    seed: seed as number | string,
    optimizer,
    ...(steps === undefined ? {} : { steps }),
    ...(epochs === undefined ? {} : { epochs }),
    ...(batchSize === undefined ? {} : { batchSize }),
    checkpointEvery: optionalNumber('checkpointEvery', c.checkpointEvery, { integer: true, min: 0 }) ?? 0,
    evalEvery: optionalNumber('evalEvery', c.evalEvery, { integer: true, min: 0 }) ?? 0,
    recordOutputsAt,
    trackWeightDistance: optionalBoolean('trackWeightDistance', c.trackWeightDistance) ?? true,
    ...(c.stability === undefined ? {} : { stability: validateStability(c.stability) }),
    divergence: validateDivergence(c.divergence),
    ...(workers === undefined ? {} : { workers }),
  };
}

/** Most shard threads a run may ask for (more than the cores only adds contention). */
export const MAX_WORKERS = 256;

function validateWorkers(raw: unknown, kind: OptimizerKind): number | undefined {
  const workers = optionalNumber('workers', raw, { integer: true, min: 1, max: MAX_WORKERS });
  if (workers !== undefined && workers > 1 && kind === 'adam') {
    throw new InvalidOptionError('workers', workers, 'workers: 1 with optimizer.kind "adam" (sharded training runs gd and sgd; use one of them, or drop "workers")');
  }
  return workers;
}

/** Validate a whole experiment config (settings + model and term references). */
export function validateExperimentConfig(raw: unknown): ResolvedSettings & ExperimentConfig {
  const settings = validateSettings(raw, EXPERIMENT_FIELDS);
  const c = raw as Record<string, unknown>;
  const m = requireObject('model', c.model, ['id', 'options']);
  const model: ModelRef = { id: requireString('model.id', m.id) };
  if (m.options !== undefined) model.options = requireJsonObject('model.options', m.options);
  if (!Array.isArray(c.terms) || c.terms.length === 0) {
    throw new InvalidOptionError('terms', c.terms, 'a non-empty array of { id, name?, options? } loss terms');
  }
  const terms = c.terms.map((t, i): TermRef => {
    const o = requireObject(`terms[${i}]`, t, ['id', 'name', 'options']);
    const ref: TermRef = { id: requireString(`terms[${i}].id`, o.id) };
    if (o.name !== undefined) ref.name = requireString(`terms[${i}].name`, o.name);
    if (o.options !== undefined) ref.options = requireJsonObject(`terms[${i}].options`, o.options);
    return ref;
  });
  checkUniqueNames(terms.map((t) => t.name ?? t.id));
  return { ...settings, model, terms };
}

/** Term names must be unique: they key the `terms` record of step-end events. */
export function checkUniqueNames(names: readonly string[]): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) throw new InvalidOptionError(`terms[${i}].name`, name, `a name not used by another term (give each term of the same id its own "name")`);
    seen.add(name);
  });
}

/** Total number of updates of a run on `n` training samples. */
export function totalStepsFor(settings: Pick<TrainingSettings, 'steps' | 'epochs' | 'batchSize'>, n: number): number {
  if (settings.steps !== undefined) return settings.steps;
  return (settings.epochs ?? 1) * stepsPerEpoch(settings.batchSize, n);
}

/** Updates per pass over n samples: 1 for full batches, ceil(n / batchSize) otherwise. */
export function stepsPerEpoch(batchSize: number | undefined, n: number): number {
  return batchSize === undefined || batchSize >= n ? 1 : Math.ceil(n / batchSize);
}

/**
 * The full-batch GD stability bound of SCIENCE.md P3: GD on L_lambda converges iff
 * eta < 2 / ((1 + lambda) mu_max). Undefined when the caller supplied neither the bound nor mu_max.
 */
export function stabilityBound(s: StabilityConfig | undefined): number | undefined {
  if (!s) return undefined;
  if (s.bound !== undefined) return s.bound;
  if (s.muMax !== undefined) return 2 / ((1 + (s.lambda ?? 0)) * s.muMax);
  return undefined;
}

function validateOptimizer(raw: unknown): OptimizerConfig {
  const o = requireObject('optimizer', raw, ['kind', 'lr', 'beta1', 'beta2', 'epsilon']);
  const kind = requireOneOf('optimizer.kind', o.kind, OPTIMIZER_KINDS);
  const lr = requireNumber('optimizer.lr', o.lr, { min: 0, minExclusive: true });
  if (kind !== 'adam') {
    for (const k of ['beta1', 'beta2', 'epsilon'] as const) {
      if (o[k] !== undefined) throw new InvalidOptionError(`optimizer.${k}`, o[k], `no "${k}" with optimizer.kind "${kind}" (it is an Adam option)`);
    }
  }
  if (kind !== 'adam') return { kind, lr };
  return {
    kind,
    lr,
    beta1: optionalNumber('optimizer.beta1', o.beta1, { min: 0, max: 1, maxExclusive: true }) ?? ADAM_DEFAULTS.beta1,
    beta2: optionalNumber('optimizer.beta2', o.beta2, { min: 0, max: 1, maxExclusive: true }) ?? ADAM_DEFAULTS.beta2,
    epsilon: optionalNumber('optimizer.epsilon', o.epsilon, { min: 0, minExclusive: true }) ?? ADAM_DEFAULTS.epsilon,
  };
}

function validateStability(raw: unknown): StabilityConfig {
  const s = requireObject('stability', raw, ['muMax', 'lambda', 'bound', 'allowUnstable']);
  const out: StabilityConfig = {};
  const muMax = optionalNumber('stability.muMax', s.muMax, { min: 0, minExclusive: true });
  const lambda = optionalNumber('stability.lambda', s.lambda, { min: 0 });
  const bound = optionalNumber('stability.bound', s.bound, { min: 0, minExclusive: true });
  const allowUnstable = optionalBoolean('stability.allowUnstable', s.allowUnstable);
  if (muMax !== undefined && lambda === undefined) {
    throw new InvalidOptionError('stability.lambda', lambda, 'a number >= 0 alongside stability.muMax (the bound is 2 / ((1 + lambda) mu_max); use 0 without a PI term)');
  }
  if (bound !== undefined && muMax !== undefined) {
    throw new InvalidOptionError('stability.bound', bound, 'either stability.bound or stability.muMax + stability.lambda, not both');
  }
  if (muMax !== undefined) out.muMax = muMax;
  if (lambda !== undefined) out.lambda = lambda;
  if (bound !== undefined) out.bound = bound;
  if (allowUnstable !== undefined) out.allowUnstable = allowUnstable;
  return out;
}

function validateDivergence(raw: unknown): Required<DivergenceConfig> {
  if (raw === undefined) return { ...DIVERGENCE_DEFAULTS };
  const d = requireObject('divergence', raw, ['window', 'factor']);
  return {
    window: optionalNumber('divergence.window', d.window, { integer: true, min: 0 }) ?? DIVERGENCE_DEFAULTS.window,
    factor: optionalNumber('divergence.factor', d.factor, { min: 1, minExclusive: true }) ?? DIVERGENCE_DEFAULTS.factor,
  };
}

function validateSteps(field: string, raw: unknown): number[] {
  if (!Array.isArray(raw)) throw new InvalidOptionError(field, raw, 'an array of step numbers (integers >= 0)');
  const steps = raw.map((v, i) => requireNumber(`${field}[${i}]`, v, { integer: true, min: 0, max: MAX_STEPS }));
  return [...new Set(steps)].sort((a, b) => a - b);
}

function requireJsonObject(field: string, value: unknown): JsonObject {
  if (!isPlainObject(value)) throw new InvalidOptionError(field, value, 'an object of JSON options');
  try {
    return JSON.parse(JSON.stringify(value)) as JsonObject;
  } catch {
    throw new InvalidOptionError(field, value, 'JSON-serializable options');
  }
}
