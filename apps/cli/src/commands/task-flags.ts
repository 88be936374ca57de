import type { FlagSpecs } from '../args.js';
import { BACKEND_CHOICES } from '../backends.js';
import { PRESET_NAMES } from '../reproduce/presets.js';
import { DATASETS } from '../reproduce/task.js';

/** Flags of the commands that build a preset's task and train on a backend. */
export const TASK_FLAGS: FlagSpecs = {
  preset: { type: 'string', choices: PRESET_NAMES, default: 'quick', description: 'sizes: tiny (seconds, for tests), quick (minutes), full (see README)' },
  dataset: { type: 'string', choices: DATASETS, default: 'mnist', description: 'data set (MNIST ships with pikt)' },
  'data-dir': { type: 'string', value: 'PATH', description: 'folder with the dataset files (required for cifar10)' },
  backend: { type: 'string', choices: BACKEND_CHOICES, default: 'wasm', description: 'tfjs backend for training' },
};
