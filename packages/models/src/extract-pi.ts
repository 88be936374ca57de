import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, NonFiniteError, ShapeMismatchError, type ModelV1, type ParamTensors } from '@pikt/core';

/** A teacher's privileged information for a whole dataset, row-major plain arrays. */
export interface PrivilegedInformation {
  n: number;
  outputDim: number;
  /** Teacher logits z [n, K]. */
  logits: Float32Array;
  /** Temperature-softened probabilities [n, K]: softmax(z / T) per row, or sigmoid(z / T) when K = 1. */
  probabilities: Float32Array;
  temperature: number;
  /** Width of `features` (0 when the model returns none or they were not requested). */
  featureDim: number;
  /** The model's hidden features [n, featureDim] (its last hidden layer). */
  features?: Float32Array;
}

export interface ExtractPiOptions {
  /** Rows per forward pass (default 256): bounds memory, not the result. */
  batchSize?: number;
  /** Temperature T > 0 of the softened probabilities (default 1). */
  temperature?: number;
  /** Also collect hidden features (default true). */
  features?: boolean;
}

/**
 * Run a trained teacher over a dataset `{ x [n, d], n }` (a `Batch` works) and collect its privileged
 * information (SCIENCE.md section 1): logits z_i = g(x_i), probabilities softmax(z_i / T) (Hinton
 * et al.'s softened targets) and hidden features, in batches, every tensor disposed after use.
 * Throws `NonFiniteError` if a logit is NaN or infinite (a diverged teacher).
 */
export async function extractPrivilegedInformation<P extends ParamTensors>(
  model: ModelV1<P>, params: P, data: { x: Float32Array; n: number }, options: ExtractPiOptions = {},
): Promise<PrivilegedInformation> {
  const batchSize = options.batchSize ?? 256;
  const temperature = options.temperature ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidOptionError('extractPrivilegedInformation.batchSize', batchSize, 'an integer >= 1');
  if (!(Number.isFinite(temperature) && temperature > 0)) throw new InvalidOptionError('extractPrivilegedInformation.temperature', temperature, 'a finite number > 0');
  const { x, n } = data;
  if (!Number.isInteger(n) || n < 1 || x.length % n !== 0) {
    throw new ShapeMismatchError('extractPrivilegedInformation: x.length vs n (x must be [n, inputDim], row-major)', `a multiple of n = ${n}`, [x.length]);
  }
  const d = x.length / n;
  let k = 0;
  let featureDim = 0;
  let logits = new Float32Array(0);
  let probabilities = new Float32Array(0);
  let features: Float32Array | undefined;
  for (let start = 0; start < n; start += batchSize) {
    const rows = Math.min(batchSize, n - start);
    const [z, p, f] = tf.tidy(() => {
      const out = model.apply(params, tf.tensor2d(x.subarray(start * d, (start + rows) * d), [rows, d]));
      const scaled = tf.div(out.logits, temperature);
      const probs = out.logits.shape[1] === 1 ? tf.sigmoid(scaled) : tf.softmax(scaled);
      return options.features === false || !out.features ? [out.logits, probs] : [out.logits, probs, out.features];
    });
    if (start === 0) {
      k = z.shape[1]!;
      logits = new Float32Array(n * k);
      probabilities = new Float32Array(n * k);
      if (f) { featureDim = f.shape[1]!; features = new Float32Array(n * featureDim); }
    }
    try {
      logits.set(await z.data() as Float32Array, start * k);
      probabilities.set(await p.data() as Float32Array, start * k);
      if (f && features) features.set(await f.data() as Float32Array, start * featureDim);
    } finally {
      tf.dispose([z, p, ...(f ? [f] : [])]);
    }
  }
  const bad = logits.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new NonFiniteError('Teacher logits', bad, logits[bad]);
  return { n, outputDim: k, logits, probabilities, temperature, featureDim, ...(features ? { features } : {}) };
}
