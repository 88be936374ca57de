import { PiktError, createRegistry } from '@pikt/core';
import type { Registry } from '@pikt/core';
import { loadCifar10, loadFashionMnist, loadMnist } from '@pikt/datasets';
import type { ImageSplits } from '@pikt/datasets';
import { CNN_TEACHER_ID, MLP_TEACHER_ID, WIDE_STUDENT_ID, createCnnTeacher, createMlpTeacher, createWideStudent } from '@pikt/models';
import { registerBuiltinRegularizers } from '@pikt/regularizers';
import type { ExperimentRegistries, ModelFactory } from '@pikt/trainer';
import type { PluginTargets } from './plugins.js';

/** Reads a data set's image splits, from `dataDir` or from where the installed package keeps them. */
export type DatasetLoader = (options: { dataDir?: string }) => Promise<ImageSplits>;

/** The CLI's registries, filled with every built-in plugin; `--plugin` modules add to them. */
export interface CliRegistries extends PluginTargets, ExperimentRegistries {
  models: Registry<ModelFactory>;
  regularizers: ExperimentRegistries['regularizers'];
  datasets: Registry<DatasetLoader>;
}

/** Built-in data sets (read by `pikt reproduce`, `distill` and `train-teacher` through `data.dataset`). */
export const BUILTIN_DATASETS = ['mnist', 'fashion-mnist', 'cifar10'] as const;

const LOADERS: Record<(typeof BUILTIN_DATASETS)[number], DatasetLoader> = {
  mnist: ({ dataDir }) => loadMnist(dataDir ? { dir: dataDir } : {}),
  'fashion-mnist': ({ dataDir }) => loadFashionMnist(dataDir ? { dir: dataDir } : {}),
  cifar10: async ({ dataDir }) => {
    if (!dataDir) {
      throw new PiktError('PIKT_DATA_DIR', 'CIFAR-10 is not shipped with pikt.', 'Pass --data-dir with the folder holding data_batch_1.bin ... test_batch.bin (the binary version).');
    }
    return loadCifar10(dataDir);
  },
};

/**
 * Fresh registries with the built-ins (nothing registers on import: commands call this): the
 * models, every built-in term with the sum / weighted / scheduled combinators (which resolve their
 * children through this same registry, so they can hold a plugin's terms), and the data set loaders.
 */
export function createCliRegistries(): CliRegistries {
  const models = createRegistry<ModelFactory>('model');
  const regularizers: ExperimentRegistries['regularizers'] = createRegistry('regularizer');
  const datasets = createRegistry<DatasetLoader>('dataset');
  models.register(WIDE_STUDENT_ID, createWideStudent);
  models.register(MLP_TEACHER_ID, createMlpTeacher);
  models.register(CNN_TEACHER_ID, createCnnTeacher);
  registerBuiltinRegularizers(regularizers);
  for (const id of BUILTIN_DATASETS) datasets.register(id, LOADERS[id]);
  return { models, regularizers, datasets } as CliRegistries;
}
