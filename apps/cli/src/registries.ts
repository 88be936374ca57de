import { createRegistry } from '@pikt/core';
import type { Registry } from '@pikt/core';
import { CNN_TEACHER_ID, MLP_TEACHER_ID, WIDE_STUDENT_ID, createCnnTeacher, createMlpTeacher, createWideStudent } from '@pikt/models';
import { registerBuiltinRegularizers } from '@pikt/regularizers';
import type { ExperimentRegistries, ModelFactory } from '@pikt/trainer';
import type { PluginTargets } from './plugins.js';

/** The CLI's registries, filled with every built-in plugin; `--plugin` modules add to them. */
export interface CliRegistries extends PluginTargets, ExperimentRegistries {
  models: Registry<ModelFactory>;
  regularizers: ExperimentRegistries['regularizers'];
  datasets: Registry<unknown>;
}

/** Built-in data sets (read by `pikt reproduce`, `distill` and `train-teacher` through `data.dataset`). */
export const BUILTIN_DATASETS = ['mnist', 'fashion-mnist', 'cifar10'] as const;

/** Fresh registries with the built-ins (nothing registers on import: commands call this). */
export function createCliRegistries(): CliRegistries {
  const models = createRegistry<ModelFactory>('model');
  const regularizers: ExperimentRegistries['regularizers'] = createRegistry('regularizer');
  const datasets = createRegistry<unknown>('dataset');
  models.register(WIDE_STUDENT_ID, createWideStudent);
  models.register(MLP_TEACHER_ID, createMlpTeacher);
  models.register(CNN_TEACHER_ID, createCnnTeacher);
  // the terms and the sum / weighted / scheduled combinators, whose children resolve through this registry
  registerBuiltinRegularizers(regularizers);
  for (const id of BUILTIN_DATASETS) datasets.register(id, id);
  return { models, regularizers, datasets } as CliRegistries;
}
