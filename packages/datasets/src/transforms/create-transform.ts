import { createRegistry, InvalidOptionError, type JsonObject, type Registry } from '@pikt/core';
import { standardize, unitNorm } from './basic.js';
import { downsample, grayscale, type DownsampleOptions, type GrayscaleOptions } from './image.js';
import { pca, type PcaOptions } from './pca.js';
import { pipeline } from './pipeline.js';
import { randomFourierFeatures, type RandomFourierOptions } from './random-fourier.js';
import { teacherFeatures, type Embedding, type TeacherFeaturesOptions } from './teacher-features.js';
import type { TransformConfig, TransformV1 } from './transform.js';

/** Functions a JSON config cannot hold: teacher embeddings by name. */
export interface TransformContext {
  embeddings?: Record<string, Embedding>;
}

type TransformBuilder = (o: JsonObject, ctx: TransformContext) => TransformV1;

const BUILDERS: Record<string, TransformBuilder> = {
  'unit-norm': () => unitNorm(),
  standardize: (o) => standardize(o as { epsilon?: number }),
  pca: (o) => pca(o as PcaOptions),
  downsample: (o) => downsample(o as DownsampleOptions),
  grayscale: (o) => grayscale(o as GrayscaleOptions),
  'random-fourier-features': (o) => randomFourierFeatures(o as RandomFourierOptions),
  'teacher-features': (o, ctx) => {
    const name = (o as TeacherFeaturesOptions).name;
    const embed = ctx.embeddings?.[name];
    if (!embed) {
      throw new InvalidOptionError('teacher-features.name', name,
        `the name of an embedding passed in context.embeddings (given: ${Object.keys(ctx.embeddings ?? {}).join(', ') || 'none'})`);
    }
    return teacherFeatures(o as TeacherFeaturesOptions, embed);
  },
  pipeline: (o, ctx) => {
    if (!Array.isArray(o.steps)) throw new InvalidOptionError('pipeline.steps', o.steps, 'an array of transform configs');
    return pipeline(o.steps.map((s) => createTransform(s as unknown as TransformConfig, ctx)));
  },
};

/** Ids `createTransform` knows. */
export const TRANSFORM_IDS = Object.keys(BUILDERS).sort();

let registry: Registry<TransformBuilder> | undefined;
/** The builders in a core registry (made on first use), so an unknown id lists the known ones. */
function transforms(): Registry<TransformBuilder> {
  if (!registry) {
    registry = createRegistry<TransformBuilder>('transform');
    for (const id of TRANSFORM_IDS) registry.register(id, BUILDERS[id]);
  }
  return registry;
}

/**
 * Rebuilds an (unfitted) transform from its JSON config `{ id, options }`, as written by
 * `transform.toJSON()`; an array of configs is a pipeline.
 */
export function createTransform(config: TransformConfig | TransformConfig[], context: TransformContext = {}): TransformV1 {
  if (Array.isArray(config)) return pipeline(config.map((c) => createTransform(c, context)));
  if (typeof config !== 'object' || config === null || typeof config.id !== 'string') {
    throw new InvalidOptionError('transform', config, `an object { id, options } with id one of ${TRANSFORM_IDS.join(', ')}`);
  }
  return transforms().get(config.id)(config.options ?? {}, context);
}
