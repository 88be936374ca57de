import { InvalidOptionError, PiktError } from '@pikt/core';
import type { FeatureMatrix } from '../labeled-data.js';
import { makeTransform, type StatefulTransform } from './transform.js';

/** A row of norm 0 cannot be scaled to norm 1. */
export class ZeroRowError extends PiktError {
  constructor(readonly row: number) {
    super('PIKT_ZERO_ROW', `unit-norm: row ${row} has norm 0 and cannot be scaled to norm 1.`,
      'Drop all-zero samples, or apply standardize/pca first, or add a constant feature.');
  }
}

/**
 * x_i <- x_i / ||x_i||_2, the normalization the kernel analysis assumes (||x_i|| = 1, SCIENCE.md
 * section 1). Has no parameters; fit only records the input dimension.
 */
export function unitNorm(): StatefulTransform<Record<string, never>, true> {
  return makeTransform('unit-norm', {}, {
    fit: () => true as const,
    apply: (_s, { x, n, d }) => {
      const out = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += x[i * d + j] * x[i * d + j];
        if (s === 0) throw new ZeroRowError(i);
        const norm = Math.sqrt(s);
        for (let j = 0; j < d; j++) out[i * d + j] = x[i * d + j] / norm;
      }
      return { x: out, d };
    },
  });
}

export type StandardizeOptions = {
  /** Columns whose training standard deviation is at most this are only centered (default 1e-12). */
  epsilon?: number;
};

/** Column means and population standard deviations of the training inputs, in float64. */
export interface StandardizeState {
  mean: Float64Array;
  std: Float64Array;
}

export function columnMeans({ x, n, d }: FeatureMatrix): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(n, 1);
  return mean;
}

/**
 * z_ij = (x_ij - mean_j) / std_j with mean and std = sqrt(mean((x_j - mean_j)^2)) from the training
 * inputs. Constant training columns (std <= epsilon) map to 0 rather than dividing by ~0.
 */
export function standardize(options: StandardizeOptions = {}): StatefulTransform<StandardizeOptions, StandardizeState> {
  const epsilon = options.epsilon ?? 1e-12;
  if (!(typeof epsilon === 'number' && epsilon >= 0)) throw new InvalidOptionError('standardize.epsilon', epsilon, 'a number >= 0');
  return makeTransform<StandardizeOptions, StandardizeState>('standardize', { epsilon }, {
    fit: (m) => {
      if (m.n < 1) throw new InvalidOptionError('standardize.fit input', 'no rows', 'at least one training row');
      const mean = columnMeans(m);
      const std = new Float64Array(m.d);
      for (let i = 0; i < m.n; i++) for (let j = 0; j < m.d; j++) std[j] += (m.x[i * m.d + j] - mean[j]) ** 2;
      for (let j = 0; j < m.d; j++) std[j] = Math.sqrt(std[j] / m.n);
      return { mean, std };
    },
    apply: ({ mean, std }, { x, n, d }) => {
      const out = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) out[i * d + j] = std[j] > epsilon ? (x[i * d + j] - mean[j]) / std[j] : 0;
      }
      return { x: out, d };
    },
  });
}
