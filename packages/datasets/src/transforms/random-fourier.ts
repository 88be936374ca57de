import { createRng, InvalidOptionError, PiktError } from '@pikt/core';
import type { FeatureMatrix } from '../labeled-data.js';
import { makeTransform, type StatefulTransform } from './transform.js';

export type RandomFourierOptions = {
  /** Number of features D. */
  features: number;
  /** Kernel bandwidth sigma > 0, or 'median': the median distance between training rows (up to 256 of them). */
  bandwidth: number | 'median';
  /** Seed of W and b. */
  seed: number | string;
};

/** The drawn frequencies and phases. */
export interface RandomFourierState {
  /** sigma actually used (the median heuristic's value when bandwidth was 'median'). */
  bandwidth: number;
  /** Frequencies, row-major [d, D], entries N(0, 1 / sigma^2). */
  w: Float64Array;
  /** Phases [D], U[0, 2 pi). */
  b: Float64Array;
}

/** Median Euclidean distance between pairs of (at most 256) training rows; 1 if all coincide. */
function medianDistance({ x, n, d }: FeatureMatrix, seed: number | string): number {
  const rows = Array.from(createRng(seed).child('median').permutation(n).subarray(0, Math.min(n, 256)));
  const dist: number[] = [];
  for (let a = 0; a < rows.length; a++) {
    for (let b = a + 1; b < rows.length; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[rows[a] * d + j] - x[rows[b] * d + j]) ** 2;
      dist.push(Math.sqrt(s));
    }
  }
  dist.sort((p, q) => p - q);
  const med = dist.length === 0 ? 0 : dist[Math.floor((dist.length - 1) / 2)];
  return med > 0 ? med : 1;
}

/**
 * Random Fourier features of the Gaussian kernel k(x, y) = exp(-||x - y||^2 / (2 sigma^2))
 * (Rahimi & Recht, NeurIPS 2007): z(x) = sqrt(2 / D) cos(W^T x + b), W_jl ~ N(0, 1/sigma^2),
 * b_l ~ U[0, 2 pi), so E[z(x) . z(y)] = k(x, y). Each term 2 cos(w.x + b) cos(w.y + b) has variance
 * 1 - k^2 + k^4 / 2, hence the RMS error of z(x) . z(y) is sqrt((1 - k^2 + k^4 / 2) / D): it falls
 * like 1/sqrt(D). ||z(x)||^2 is about 1 (unit norm in expectation).
 */
export function randomFourierFeatures(options: RandomFourierOptions): StatefulTransform<RandomFourierOptions, RandomFourierState> {
  const D = options.features;
  const { bandwidth, seed } = options;
  if (!Number.isInteger(D) || D < 1) throw new InvalidOptionError('randomFourierFeatures.features', D, 'a positive integer D');
  if (bandwidth !== 'median' && !(typeof bandwidth === 'number' && bandwidth > 0 && Number.isFinite(bandwidth))) {
    throw new InvalidOptionError('randomFourierFeatures.bandwidth', bandwidth, "a number > 0 or 'median'");
  }
  if (typeof seed !== 'string' && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new InvalidOptionError('randomFourierFeatures.seed', seed, 'a non-negative integer or a string');
  }
  return makeTransform<RandomFourierOptions, RandomFourierState>('random-fourier-features', { features: D, bandwidth, seed }, {
    fit: (m) => {
      if (m.d * D > 1e9) {
        throw new PiktError('PIKT_RFF_TOO_LARGE', `randomFourierFeatures: W would hold d * D = ${m.d * D} numbers.`, 'Reduce the input first (pca, downsample) or use fewer features.');
      }
      const sigma = bandwidth === 'median' ? medianDistance(m, seed) : bandwidth;
      const rng = createRng(seed);
      const w = rng.child('w').fillNormal(new Float64Array(m.d * D), 0, 1 / sigma);
      const b = rng.child('b').fillUniform(new Float64Array(D), 0, 2 * Math.PI);
      return { bandwidth: sigma, w, b };
    },
    apply: ({ w, b }, { x, n, d }) => {
      const out = new Float64Array(n * D);
      const scale = Math.sqrt(2 / D);
      const acc = new Float64Array(D);
      for (let i = 0; i < n; i++) {
        acc.set(b);
        for (let j = 0; j < d; j++) {
          const xj = x[i * d + j];
          if (xj === 0) continue;
          const base = j * D;
          for (let l = 0; l < D; l++) acc[l] += xj * w[base + l];
        }
        for (let l = 0; l < D; l++) out[i * D + l] = scale * Math.cos(acc[l]);
      }
      return { x: out, d: D };
    },
  });
}
