import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidOptionError, PiktError, ShapeMismatchError, requireNumber, requireOneOf,
  type ActivationPatterns, type ActivationPatternSupport, type ApplyWithVjpOptions, type ModelIO, type ModelV1, type Rng,
} from '@pikt/core';
import { requireIO, resolveModelOptions } from './options.js';
import { drawStudentArrays } from './wide-student-init.js';
import { studentForward, type StudentFeatureMode } from './wide-student-forward.js';
import { studentVjp } from './wide-student-vjp.js';

export const WIDE_STUDENT_ID = 'wide-student';

/** Options of `createWideStudent` (all JSON). */
export type WideStudentOptions = {
  /** Number of hidden neurons m (even when `symmetric`). */
  width: number;
  /** Standard deviation of the first layer at init: w_r(0) ~ N(0, kappa^2 I). */
  kappa: number;
  /** Neurons in pairs (w, a), (w, -a) so that f(.; W(0)) = 0 exactly. */
  symmetric: boolean;
  /** 'first': only W is trained (the theory's default); 'both': W and a. */
  trainLayers: 'first' | 'both';
  /** What `apply` returns as `features`: nothing, the [n, m] hidden layer, or a learned [n, featureDim] projection of it. */
  features: 'none' | 'hidden' | 'projected';
  /** Output size p of the learned projection (features: 'projected'). */
  featureDim: number;
  /** Neurons per block in forward and backward passes (0 = 1024); only the speed and memory change. */
  blockSize: number;
};

/** The student's parameters: W [m, d] (row r is w_r), a [m, K] (row r is a_r), P [m, p] with a learned projection. */
export type WideStudentParams = { W: tf.Tensor2D; a: tf.Tensor2D; P?: tf.Tensor2D };

export const WIDE_STUDENT_DEFAULTS: Readonly<WideStudentOptions> = Object.freeze({
  width: 4096, kappa: 1, symmetric: true, trainLayers: 'first', features: 'none', featureDim: 64, blockSize: 0,
});

/** A wide student: a `ModelV1` plus the shapes of its parameters for a given io. */
export interface WideStudent extends ModelV1<WideStudentParams> {
  readonly options: WideStudentOptions;
  paramShapes(io: ModelIO): Record<string, number[]>;
  vjp(params: WideStudentParams, x: tf.Tensor2D, dLogits: tf.Tensor2D): Partial<Record<'W' | 'a' | 'P', tf.Tensor>>;
  dispose(params: WideStudentParams): void;
  /**
   * `apply` then `vjp` in one pass that keeps the forward activation patterns 1{X W^T > 0} (float32
   * 0/1, 4 n m bytes) instead of recomputing X W^T: 2 rather than 3 products of size n x d x m per GD
   * step (trainLayers 'first'; 'both' recomputes). `backward` maps the logits to dL/dlogits; the
   * tensors it creates stay the caller's (call this inside `tf.tidy`). Returns the logits and the
   * gradients of the trainable parameters, as `vjp` does.
   */
  applyWithVjp(params: WideStudentParams, x: tf.Tensor2D, backward: (logits: tf.Tensor2D) => tf.Tensor2D, options?: ApplyWithVjpOptions): {
    logits: tf.Tensor2D; grads: Partial<Record<'W' | 'a' | 'P', tf.Tensor>>; patterns?: ActivationPatterns;
  };
  /**
   * The forward pass's masks 1{W_b X^T > 0} as activation patterns (float32 0/1 blocks [b, n],
   * neuron-major): `applyWithVjp(..., { keepPatterns: true })` returns the masks its backward pass
   * used instead of freeing them (no extra product), `compute` makes them by a forward pass of its
   * own. Only with trainLayers 'first' and while the masks fit (4 n m bytes <= 512 MiB).
   */
  readonly activationPatterns: ActivationPatternSupport<WideStudentParams>;
}

/** Keep activation masks only while they take at most this many bytes (float32: 4 bytes each). */
const MAX_MASK_BYTES = 2 ** 29;

/**
 * The extremely wide two-layer student of SCIENCE.md section 1, NTK parameterization:
 *
 *   f(x; W) = (1/sqrt(m)) * sum_{r=1..m} a_r * relu(w_r . x),   a_r in {-1,+1}^K fixed,
 *   w_r(0) ~ N(0, kappa^2 I_d),
 *
 * symmetric initialization by default (neuron r + m/2 is (w_r, -a_r)). Forward and backward passes
 * are hand-written and blockwise over neurons and never build an [n, m] tensor, so widths up to
 * 10^5 fit the wasm heap. One GD step at n = 2000, d = 784, m = 8192 on wasm (the package's bench,
 * a shared 2-core machine): 3.1-3.7 s with `applyWithVjp`, 4.5-5.5 s with apply + vjp, 21-22 s
 * by tfjs autodiff.
 *
 * With `features: 'projected'` the student carries a learned projection P (trainable) and returns
 * phi(x) P as features: a feature-matching regularizer with projection 'none' then trains it.
 * `vjp` only propagates dL/dlogits (P gets a zero gradient from it): a trainer must use autodiff
 * when a loss term reads the student's features.
 */
export function createWideStudent(partial: Partial<WideStudentOptions> = {}): WideStudent {
  const o = resolveModelOptions(WIDE_STUDENT_ID, { ...WIDE_STUDENT_DEFAULTS }, partial, (v) => {
    requireNumber(`${WIDE_STUDENT_ID}.width`, v.width, { integer: true, min: 1 });
    if (v.symmetric && v.width % 2 !== 0) {
      throw new InvalidOptionError(`${WIDE_STUDENT_ID}.width`, v.width, 'an even width when symmetric is true (neurons come in pairs), or symmetric: false');
    }
    requireNumber(`${WIDE_STUDENT_ID}.kappa`, v.kappa, { min: 0, minExclusive: true });
    requireOneOf(`${WIDE_STUDENT_ID}.trainLayers`, v.trainLayers, ['first', 'both']);
    requireOneOf(`${WIDE_STUDENT_ID}.features`, v.features, ['none', 'hidden', 'projected']);
    requireNumber(`${WIDE_STUDENT_ID}.featureDim`, v.featureDim, { integer: true, min: 1 });
    requireNumber(`${WIDE_STUDENT_ID}.blockSize`, v.blockSize, { integer: true, min: 0 });
  });
  const projected = o.features === 'projected';
  const trainable = [...(o.trainLayers === 'both' ? ['W', 'a'] : ['W']), ...(projected ? ['P'] : [])];
  const options = Object.freeze({ ...o });
  const paramShapes = (io: ModelIO): Record<string, number[]> => {
    requireIO(WIDE_STUDENT_ID, io);
    const shapes: Record<string, number[]> = { W: [o.width, io.inputDim], a: [o.width, io.outputDim] };
    if (projected) shapes.P = [o.width, o.featureDim];
    return shapes;
  };
  const vjp = (params: WideStudentParams, x: tf.Tensor2D, dLogits: tf.Tensor2D, masks?: tf.Tensor[]) => {
    checkInput(params, x);
    if (dLogits?.rank !== 2 || dLogits.shape[0] !== x.shape[0] || dLogits.shape[1] !== params.a.shape[1]) {
      throw new ShapeMismatchError(`${WIDE_STUDENT_ID}.vjp dLogits (batch, outputDim)`, [x.shape[0], params.a.shape[1]], dLogits?.shape ?? 'nothing');
    }
    const grads: Partial<Record<'W' | 'a' | 'P', tf.Tensor>> = studentVjp(params.W, params.a, x, dLogits, o.blockSize, o.trainLayers === 'both', masks);
    if (projected && params.P) grads.P = tf.zerosLike(params.P);
    return grads;
  };
  // Why the forward pass's masks cannot be kept for `rows` points ('both' recomputes W X^T in its backward pass).
  const patternsUnavailable = (rows: number): string | undefined => {
    if (o.trainLayers !== 'first') return `trainLayers is '${o.trainLayers}': the masks are kept only when the first layer alone is trained`;
    const bytes = 4 * rows * o.width;
    if (bytes > MAX_MASK_BYTES) return `the masks of ${rows} points x ${o.width} neurons take ${bytes} bytes, over the ${MAX_MASK_BYTES} kept`;
    return undefined;
  };
  const requirePatterns = (rows: number): void => {
    const why = patternsUnavailable(rows);
    if (why !== undefined) {
      throw new PiktError('PIKT_NO_ACTIVATION_PATTERNS', `${WIDE_STUDENT_ID} cannot hand out its activation patterns: ${why}.`,
        "Use trainLayers 'first' and a batch whose masks fit (fewer points or neurons), or compute the drift from the weights (kernelDriftFromWeights in @pikt/ntk).");
    }
  };
  return {
    specificationVersion: 'v1',
    id: WIDE_STUDENT_ID,
    options,
    trainable,
    paramShapes,
    init(rng: Rng, io: ModelIO): WideStudentParams {
      const shapes = paramShapes(io);
      const arrays = drawStudentArrays(rng, o.width, io.inputDim, io.outputDim, o.kappa, o.symmetric, projected ? o.featureDim : 0);
      const params: WideStudentParams = {
        W: tf.tensor2d(arrays.W, shapes.W as [number, number]),
        a: tf.tensor2d(arrays.a, shapes.a as [number, number]),
      };
      if (arrays.P) params.P = tf.tensor2d(arrays.P, shapes.P as [number, number]);
      return params;
    },
    apply(params, x) {
      checkInput(params, x);
      return studentForward(params.W, params.a, x, o.blockSize, o.features as StudentFeatureMode, params.P);
    },
    vjp: (params, x, dLogits) => vjp(params, x, dLogits),
    applyWithVjp(params, x, backward, options = {}) {
      checkInput(params, x);
      if (options.keepPatterns) requirePatterns(x.shape[0]);
      const keepMasks = patternsUnavailable(x.shape[0]) === undefined;
      const { logits, masks } = studentForward(params.W, params.a, x, o.blockSize, 'none', undefined, keepMasks);
      let handedOut = false;
      try {
        const grads = vjp(params, x, backward(logits), masks);
        handedOut = options.keepPatterns === true;
        return handedOut ? { logits, grads, patterns: maskPatterns(masks as tf.Tensor2D[]) } : { logits, grads };
      } catch (err) {
        logits.dispose();
        throw err;
      } finally {
        if (masks && !handedOut) tf.dispose(masks);
      }
    },
    activationPatterns: {
      neurons: o.width,
      unavailable: (rows) => patternsUnavailable(rows),
      compute(params, x) {
        checkInput(params, x);
        requirePatterns(x.shape[0]);
        const { logits, masks } = studentForward(params.W, params.a, x, o.blockSize, 'none', undefined, true);
        logits.dispose();
        return maskPatterns(masks as tf.Tensor2D[]);
      },
    },
    dispose(params) {
      tf.dispose(Object.values(params).filter((t): t is tf.Tensor2D => t !== undefined));
    },
  };
}

const maskPatterns = (blocks: tf.Tensor2D[]): ActivationPatterns => ({ blocks, layout: 'neurons-major', values: 'mask' });

function checkInput(params: WideStudentParams, x: tf.Tensor2D): void {
  if (x.rank !== 2 || x.shape[1] !== params.W.shape[1]) {
    throw new ShapeMismatchError(`${WIDE_STUDENT_ID} input x (batch, inputDim)`, `[batch, ${params.W.shape[1]}]`, x.shape);
  }
}
