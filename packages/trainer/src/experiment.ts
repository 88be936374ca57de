import {
  InvalidOptionError, type ModelV1, type RegularizerFactory, type Registry,
} from '@pikt/core';
import { validateExperimentConfig, type ExperimentConfig, type ResolvedSettings, type TrainingSettings } from './config.js';
import type { NamedTerm } from './loss-gradients.js';
import { startRunWith, type TrainOptions, type TrainResult, type TrainRun } from './train.js';

/** Makes a model from its JSON options (what an app registers under the model's id). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- factories take their own option types
export type ModelFactory = (options?: any) => ModelV1<any>;

export interface ExperimentRegistries {
  models: Registry<ModelFactory>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each factory has its own option type
  regularizers: Registry<RegularizerFactory<any>>;
}

export interface ExperimentOptions extends ExperimentRegistries, Omit<TrainOptions, 'model' | 'terms' | 'settings'> {
  /** The experiment as JSON: `{ model: { id, options }, terms: [{ id, name, options }], optimizer, ... }`. */
  config: ExperimentConfig | unknown;
}

export interface PreparedExperiment {
  config: ResolvedSettings & ExperimentConfig;
  model: ModelV1;
  terms: NamedTerm[];
  settings: TrainingSettings;
}

/**
 * Validate an experiment config and build its model and loss terms from the registries, without
 * making any tensor. Unknown ids list the registered ones; a factory's option error is renamed to
 * the config field (`terms[1].options.lambda`).
 */
export function prepareExperiment(config: unknown, registries: ExperimentRegistries): PreparedExperiment {
  const c = validateExperimentConfig(config);
  const modelFactory = registries.models.get(c.model.id);
  const model = withField('model.options', [c.model.id, ownId(modelFactory)], () => modelFactory(c.model.options ?? {}));
  const terms = c.terms.map((t, i): NamedTerm => {
    const factory = registries.regularizers.get(t.id);
    return { name: t.name ?? t.id, regularizer: withField(`terms[${i}].options`, [t.id, ownId(factory)], () => factory(t.options ?? {})) };
  });
  const { model: _m, terms: _t, ...settings } = c;
  void _m; void _t;
  return { config: c, model, terms, settings };
}

/** A factory's own id (regularizer factories carry one), which prefixes its option errors. */
function ownId(factory: unknown): string | undefined {
  const id = (factory as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Rename an option error of a factory to the config field: `quadratic-pi.lambda` (the factory's
 * name for it) becomes `terms[1].options.lambda`, whether the factory was registered under its own
 * id or another one.
 */
function withField<T>(field: string, owners: ReadonlyArray<string | undefined>, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof InvalidOptionError && !err.field.startsWith(field)) {
      const owner = owners.find((o) => o !== undefined && (err.field === o || err.field.startsWith(`${o}.`)));
      const sub = owner === undefined ? ` (${err.field})` : err.field.slice(owner.length);
      throw new InvalidOptionError(`${field}${sub}`, err.found, err.expected);
    }
    throw err;
  }
}

/** Start an experiment from its JSON config: `prepareExperiment` then `startRun`. */
export function startExperiment(options: ExperimentOptions): TrainRun {
  const { config, models, regularizers, ...rest } = options;
  return startRunWith(() => {
    const prepared = prepareExperiment(config, { models, regularizers });
    return { ...rest, model: prepared.model, terms: prepared.terms, settings: prepared.settings };
  }, options.reporters ?? [], typeof (config as { runId?: unknown })?.runId === 'string' ? (config as { runId: string }).runId : undefined);
}

/** Run an experiment from its JSON config to the end. */
export function runExperiment(options: ExperimentOptions): Promise<TrainResult> {
  return startExperiment(options).result;
}
