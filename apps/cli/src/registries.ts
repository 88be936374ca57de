import { createRegistry } from '@pikt/core';
import type { Registry } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import type { PluginTargets } from './plugins.js';

/** The CLI's registries, filled with every built-in plugin; `--plugin` modules add to them. */
export interface CliRegistries extends PluginTargets {
  models: Registry<unknown>;
  regularizers: Registry<unknown>;
  datasets: Registry<unknown>;
}

/** Fresh registries with the built-ins (nothing registers on import: this is called by commands). */
export function createCliRegistries(): CliRegistries {
  const models = createRegistry<unknown>('model');
  const regularizers = createRegistry<unknown>('regularizer');
  const datasets = createRegistry<unknown>('dataset');
  models.register('wide-student', createWideStudent);
  return { models, regularizers, datasets };
}
