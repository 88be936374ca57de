import { InvalidOptionError, PiktError, requireBoolean, requirePositiveInt } from '@pikt/core';
import { eigh } from '@pikt/linalg';
import { columnMeans } from './basic.js';
import { makeTransform, type StatefulTransform } from './transform.js';

export type PcaOptions = {
  /** Number of principal components kept. */
  k: number;
  /** Subtract the training mean first (default true). */
  center?: boolean;
  /** Divide each component by sqrt(its variance), giving unit-variance outputs (default false). */
  whiten?: boolean;
};

/** The fitted principal subspace, float64. */
export interface PcaState {
  /** Training mean [d] (zeros when center is false). */
  mean: Float64Array;
  /** Principal directions as rows [k, d], orthonormal, by decreasing variance. */
  components: Float64Array;
  /** Variance along each direction, lambda_1 >= ... >= lambda_k (eigenvalues of C). */
  variances: Float64Array;
  /** sum of all d eigenvalues of C (total variance), for explained-variance ratios. */
  totalVariance: number;
}

/**
 * Principal component analysis in float64. With Xc = X - 1 mean^T (training rows), the covariance
 * C = Xc^T Xc / n = V diag(lambda) V^T (so lambda_i = s_i^2 / n for the singular values s_i of Xc);
 * the projection is z = V_k^T (x - mean), whitened z_i / sqrt(lambda_i) if asked. Each direction's
 * sign is fixed so that its largest-magnitude entry is positive, making the output deterministic.
 * C is d x d: cost n d^2 / 2 + ~8 d^3 flops in @pikt/linalg's float64 SIMD eigh (d = 784 takes about a second).
 */
export function pca(options: PcaOptions): StatefulTransform<PcaOptions, PcaState> {
  const { k } = options;
  const center = options.center ?? true;
  const whiten = options.whiten ?? false;
  requirePositiveInt('pca.k', k);
  requireBoolean('pca.center', center);
  requireBoolean('pca.whiten', whiten);
  return makeTransform<PcaOptions, PcaState>('pca', { k, center, whiten }, {
    fit: ({ x, n, d }) => {
      if (k > d) throw new InvalidOptionError('pca.k', k, `at most the input dimension ${d}`);
      if (n < 1) throw new InvalidOptionError('pca.fit input', 'no rows', 'at least one training row');
      const mean = center ? columnMeans({ x, n, d }) : new Float64Array(d);
      const cov = new Float64Array(d * d);
      const row = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) row[j] = x[i * d + j] - mean[j];
        for (let a = 0; a < d; a++) {
          const ra = row[a];
          if (ra === 0) continue; // images are sparse: skip zero pixels
          const base = a * d;
          for (let b = a; b < d; b++) cov[base + b] += ra * row[b];
        }
      }
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) {
          const v = cov[a * d + b] / n;
          cov[a * d + b] = v;
          cov[b * d + a] = v;
        }
      }
      const { values, vectors } = eigh(cov); // @pikt/linalg: the eigensolver the NTK analysis uses
      const components = vectors.slice(0, k * d);
      for (let c = 0; c < k; c++) {
        let big = 0;
        for (let j = 0; j < d; j++) if (Math.abs(components[c * d + j]) > Math.abs(components[c * d + big])) big = j;
        if (components[c * d + big] < 0) for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j];
      }
      const variances = values.slice(0, k).map((v) => Math.max(v, 0));
      if (whiten && !(variances[k - 1] > 0)) {
        throw new PiktError('PIKT_PCA_WHITEN', `pca: component ${k} has variance ${variances[k - 1]}, so it cannot be whitened.`,
          'Use a smaller k (the training data has lower rank) or whiten: false.');
      }
      return { mean, components, variances, totalVariance: values.reduce((s, v) => s + Math.max(v, 0), 0) };
    },
    apply: ({ mean, components, variances }, { x, n, d }) => {
      const out = new Float64Array(n * k);
      const row = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) row[j] = x[i * d + j] - mean[j];
        for (let c = 0; c < k; c++) {
          let s = 0;
          const base = c * d;
          for (let j = 0; j < d; j++) s += components[base + j] * row[j];
          out[i * k + c] = whiten ? s / Math.sqrt(variances[c]) : s;
        }
      }
      return { x: out, d: k };
    },
  });
}
