import { InvalidOptionError, type JsonObject } from '@pikt/core';
import type { FeatureMatrix, FloatArray } from '../labeled-data.js';
import { NotFittedError, type TransformConfig, type TransformV1 } from './transform.js';

export type PipelineOptions = { steps: JsonObject[] };

/**
 * Runs transforms in order. `fit` fits step 1 on the training inputs, applies it, fits step 2 on
 * the result, and so on: every step sees only (transformed) training data.
 */
export function pipeline(steps: readonly TransformV1[]): TransformV1<PipelineOptions> {
  if (!Array.isArray(steps) || steps.some((s) => typeof s?.fit !== 'function' || typeof s?.apply !== 'function')) {
    throw new InvalidOptionError('pipeline.steps', steps, 'an array of transforms');
  }
  const list = [...steps];
  let fitted = false;
  const t: TransformV1<PipelineOptions> = {
    specificationVersion: 'v1',
    id: 'pipeline',
    get options(): PipelineOptions {
      return { steps: list.map((s) => s.toJSON() as unknown as JsonObject) };
    },
    get fitted() {
      return fitted;
    },
    fit(train: FeatureMatrix) {
      let m: FeatureMatrix = train;
      for (const s of list) m = s.fit(m).apply(m);
      fitted = true;
      return t;
    },
    apply<T extends FloatArray>(data: FeatureMatrix<T>): FeatureMatrix<T> {
      if (!fitted) throw new NotFittedError('pipeline');
      let m = data;
      for (const s of list) m = s.apply(m);
      return m;
    },
    toJSON: (): TransformConfig => ({ id: 'pipeline', options: t.options }),
  };
  return t;
}
