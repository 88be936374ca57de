import { InvalidOptionError, ShapeMismatchError } from '@pikt/core';
import { assertFinite } from '../labeled-data.js';
import { makeTransform, type StatefulTransform } from './transform.js';

/**
 * A model's hidden features for a batch of inputs x [n, d]: features [n, dim]. Supplied by the
 * caller (e.g. a trained teacher from @pikt/models), so this package never imports a model.
 */
export type Embedding = (x: Float32Array, n: number, d: number) => { features: Float32Array; dim: number };

export type TeacherFeaturesOptions = {
  /** Name under which the embedding is looked up when the transform is rebuilt from JSON. */
  name: string;
  /** Rows per call to the embedding (bounds its memory; default 1024). */
  batchSize?: number;
};

/**
 * The teacher-feature embedding of SCIENCE.md section 5: the student's input becomes psi(x), the
 * teacher's hidden features. Compose with unitNorm() to give the kernel analysis unit-norm inputs.
 * `fit` learns the output dimension from one training row.
 */
export function teacherFeatures(options: TeacherFeaturesOptions, embed: Embedding): StatefulTransform<TeacherFeaturesOptions, number> {
  const { name } = options;
  const batchSize = options.batchSize ?? 1024;
  if (typeof name !== 'string' || name.length === 0) throw new InvalidOptionError('teacherFeatures.name', name, 'a non-empty string');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidOptionError('teacherFeatures.batchSize', batchSize, 'a positive integer');
  if (typeof embed !== 'function') throw new InvalidOptionError('teacherFeatures embed', typeof embed, 'a function (x, n, d) => { features, dim }');
  const call = (x: Float32Array, n: number, d: number): { features: Float32Array; dim: number } => {
    const out = embed(x, n, d);
    if (!out || !(out.features instanceof Float32Array) || !Number.isInteger(out.dim) || out.dim < 1 || out.features.length !== n * out.dim) {
      throw new ShapeMismatchError(`teacher-features "${name}" output`, `Float32Array of n * dim = ${n} * dim with integer dim >= 1`,
        out && out.features ? `length ${out.features.length} with dim ${out.dim}` : String(out));
    }
    assertFinite(out.features, `teacher-features "${name}" output`);
    return out;
  };
  return makeTransform<TeacherFeaturesOptions, number>('teacher-features', { name, batchSize }, {
    fit: ({ x, n, d }) => {
      if (n < 1) throw new InvalidOptionError('teacherFeatures.fit input', 'no rows', 'at least one training row');
      return call(Float32Array.from(x.subarray(0, d)), 1, d).dim;
    },
    apply: (dim, { x, n, d }) => {
      const out = new Float64Array(n * dim);
      for (let start = 0; start < n; start += batchSize) {
        const rows = Math.min(batchSize, n - start);
        const chunk = Float32Array.from(x.subarray(start * d, (start + rows) * d));
        const { features, dim: got } = call(chunk, rows, d);
        if (got !== dim) throw new ShapeMismatchError(`teacher-features "${name}" dim`, [dim], [got]);
        out.set(features, start * dim);
      }
      return { x: out, d: dim };
    },
  });
}
