import { createRng, InvalidOptionError, type Rng } from '@pikt/core';
import type { LabeledData } from '../labeled-data.js';
import { binaryData, checkCount, checkSeed, type SyntheticSplits } from './common.js';

/** The four synthetic privileged-information problems of Lopez-Paz, Bottou, Schoelkopf, Vapnik (ICLR 2016), section 4.1. */
export type LupiSetting = 'clean-labels' | 'clean-features' | 'relevant-features' | 'sample-relevant-features';
export const LUPI_SETTINGS: readonly LupiSetting[] = ['clean-labels', 'clean-features', 'relevant-features', 'sample-relevant-features'];

export type LupiOptions = {
  setting: LupiSetting;
  /** Input dimension (default 50, as in the paper). */
  d?: number;
  /** Training samples (default 200) and test samples (default 1000). */
  n?: number;
  nTest?: number;
  /** Size of the relevant subsets J and J_i (default 3). */
  relevant?: number;
  seed: number | string;
};

export interface LupiTruth {
  /** alpha ~ N(0, I_d), shared by train and test. */
  alpha: Float64Array;
  /** The fixed relevant subset J (relevant-features only). */
  subset?: Int32Array;
}

/** `count` distinct indices of 0..d-1 (partial Fisher-Yates). */
function subsetOf(rng: Rng, d: number, count: number): Int32Array {
  const pool = Int32Array.from({ length: d }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(d - i);
    const t = pool[i]; pool[i] = pool[j]; pool[j] = t;
  }
  return pool.slice(0, count);
}

function sample(setting: LupiSetting, n: number, d: number, m: number, alpha: Float64Array, J: Int32Array, rng: Rng): LabeledData {
  const x = rng.child('x').fillNormal(new Float64Array(n * d));
  const classIds = new Int32Array(n);
  const piDim = setting === 'clean-labels' ? 1 : setting === 'clean-features' ? d : m;
  const pi = new Float64Array(n * piDim);
  const noise = rng.child('noise');
  const subsets = rng.child('subsets');
  for (let i = 0; i < n; i++) {
    const row = i * d;
    if (setting === 'clean-labels') {
      // x* = <alpha, x>, y = 1[x* + eps > 0], eps ~ N(0, 1): x* is the clean margin, the labels are noisy.
      let s = 0;
      for (let j = 0; j < d; j++) s += alpha[j] * x[row + j];
      pi[i] = s;
      classIds[i] = s + noise.normal() > 0 ? 1 : 0;
    } else if (setting === 'clean-features') {
      // x* ~ N(0, I), x = x* + eps, eps ~ N(0, I), y = 1[<alpha, x*> > 0].
      let s = 0;
      for (let j = 0; j < d; j++) {
        pi[row + j] = x[row + j];
        s += alpha[j] * x[row + j];
        x[row + j] += noise.normal();
      }
      classIds[i] = s > 0 ? 1 : 0;
    } else {
      // x* = x_J (fixed J) or x_{J_i} (a fresh subset per sample), y = 1[<alpha_J, x*> > 0].
      const subset = setting === 'relevant-features' ? J : subsetOf(subsets, d, m);
      let s = 0;
      for (let c = 0; c < m; c++) {
        pi[i * m + c] = x[row + subset[c]];
        s += alpha[subset[c]] * x[row + subset[c]];
      }
      classIds[i] = s > 0 ? 1 : 0;
    }
  }
  return binaryData(x, n, d, classIds, ['negative', 'positive'], { values: pi, dim: piDim });
}

/**
 * Samples one of the four LUPI problems of Lopez-Paz et al. (2016), each a triplet (x_i, x*_i, y_i)
 * with x in R^d (features), x* the privileged information (`pi`), y in {-1, +1} (labels 0/1):
 * - clean-labels:            x ~ N(0, I), x* = <alpha, x>, y = 1[x* + eps > 0], eps ~ N(0, 1)
 * - clean-features:          x* ~ N(0, I), x = x* + eps, eps ~ N(0, I), y = 1[<alpha, x*> > 0]
 * - relevant-features:       x ~ N(0, I), x* = x_J, |J| = 3 fixed, y = 1[<alpha_J, x*> > 0]
 * - sample-relevant-features: as above with a random J_i per sample.
 * alpha ~ N(0, I_d). Test samples carry pi too (for the "privileged" baseline); trainers use it
 * only at training time.
 */
export function lupiSynthetic(options: LupiOptions): SyntheticSplits<LupiTruth> {
  const { setting } = options;
  if (!LUPI_SETTINGS.includes(setting)) throw new InvalidOptionError('setting', setting, `one of ${LUPI_SETTINGS.join(', ')}`);
  const d = checkCount('d', options.d ?? 50);
  const n = checkCount('n', options.n ?? 200);
  const nTest = checkCount('nTest', options.nTest ?? 1000);
  const m = checkCount('relevant', options.relevant ?? 3);
  if (m > d) throw new InvalidOptionError('relevant', m, `at most d = ${d}`);
  const rng = createRng(checkSeed('seed', options.seed));
  const alpha = rng.child('alpha').fillNormal(new Float64Array(d));
  const J = subsetOf(rng.child('subset'), d, m);
  const truth: LupiTruth = { alpha };
  if (setting === 'relevant-features') truth.subset = J;
  return {
    train: sample(setting, n, d, m, alpha, J, rng.child('train')),
    test: sample(setting, nTest, d, m, alpha, J, rng.child('test')),
    truth,
  };
}
