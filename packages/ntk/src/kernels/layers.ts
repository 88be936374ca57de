import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, type JsonObject, type Rng } from '@pikt/core';
import { activationKernel, type ActivationDefinition } from './activations.js';

/**
 * Kernel state flowing through a layer description (neural-tangents' `Kernel`, Novak et al. 2020):
 * for two point sets A (rows) and B (cols), the NNGP covariance of the current pre/post-activations
 * per unit, the NTK accumulated so far, and the variances of each point with itself.
 *
 * Scaling convention: at the input, nngp = x.x' (raw inner products, no 1/d): the student's first
 * layer is w_r . x with w_r ~ N(0, kappa^2 I). After a layer of width m, nngp is the mean over the
 * m units, as the next layer's 1/sqrt(m) (NTK parameterization) makes it.
 */
export interface KernelState {
  readonly rows: number;
  readonly cols: number;
  readonly nngp: Float64Array;
  readonly ntk: Float64Array;
  readonly varRows: Float64Array;
  readonly varCols: Float64Array;
  /** True before the first dense layer. */
  readonly atInput: boolean;
}

/**
 * One layer described once, giving both the finite network (init/apply, tfjs) and its
 * infinite-width kernel (`kernel`), like neural-tangents' stax (init_fn, apply_fn, kernel_fn).
 */
export interface LayerV1 {
  readonly kind: string;
  readonly options: JsonObject;
  kernel(s: KernelState): KernelState;
  /** Width of the finite layer's output for a given input width. */
  outDim(inDim: number): number;
  /** Parameter names this layer trains (prefixed by `serial`). */
  trainable(): string[];
  init(rng: Rng, inDim: number, atInput: boolean): Record<string, tf.Tensor>;
  apply(params: Record<string, tf.Tensor>, x: tf.Tensor2D, atInput: boolean): tf.Tensor2D;
  /** True when the layer is (or ends with) a dense layer, i.e. the input is consumed. */
  readonly consumesInput: boolean;
}

export type DenseOptions = {
  /** Units of the finite layer (the kernel is its width -> infinity limit). */
  width: number;
  /** Weight scale sigma_w. */
  wStd: number;
  /** Bias scale sigma_b (0: no bias). */
  bStd: number;
  /**
   * 'ntk': z = (sigma_w / sqrt(fan)) phi W~ + sigma_b b~ with W~, b~ ~ N(0, 1) trained (fan = 1 at the
   * input, the previous width after it); 'standard': z = phi W + b with W ~ N(0, sigma_w^2 / fan)
   * trained directly. The student's first layer is 'standard' (w_r ~ N(0, kappa^2 I), no 1/sqrt(d)).
   * 'standard' is only allowed on the input layer: behind a hidden layer its NTK diverges with width.
   */
  parameterization: 'ntk' | 'standard';
  trainable: boolean;
};

const DENSE_DEFAULTS: DenseOptions = { width: 1, wStd: 1, bStd: 0, parameterization: 'ntk', trainable: true };

/**
 * Dense layer. Kernel rule (Jacot et al. 2018; Lee et al. 2019, NTK parameterization):
 *
 *     nngp' = sigma_w^2 nngp + sigma_b^2
 *     ntk'  = sigma_w^2 ntk + [trainable] (ntk: sigma_w^2 nngp + sigma_b^2 | standard: nngp + 1{bias})
 */
export function dense(partial: Partial<DenseOptions> = {}): LayerV1 {
  const o: DenseOptions = { ...DENSE_DEFAULTS, ...partial };
  if (!Number.isInteger(o.width) || o.width < 1) throw new InvalidOptionError('dense.width', o.width, 'an integer >= 1');
  if (!(o.wStd > 0 && Number.isFinite(o.wStd))) throw new InvalidOptionError('dense.wStd', o.wStd, 'a finite number > 0');
  if (!(o.bStd >= 0 && Number.isFinite(o.bStd))) throw new InvalidOptionError('dense.bStd', o.bStd, 'a finite number >= 0');
  if (o.parameterization !== 'ntk' && o.parameterization !== 'standard') {
    throw new InvalidOptionError('dense.parameterization', o.parameterization, "'ntk' or 'standard'");
  }
  const w2 = o.wStd * o.wStd;
  const b2 = o.bStd * o.bStd;
  const hasBias = o.bStd > 0;
  return {
    kind: 'dense',
    options: { ...o },
    consumesInput: true,
    outDim: () => o.width,
    trainable: () => (o.trainable ? (hasBias ? ['W', 'b'] : ['W']) : []),
    kernel(s) {
      if (o.parameterization === 'standard' && !s.atInput) {
        throw new InvalidOptionError('dense.parameterization', 'standard',
          "'ntk' for a layer behind a hidden layer (the standard parameterization's NTK grows with the width there)");
      }
      const nngp = s.nngp.map((k) => w2 * k + b2);
      const contribution = (k: number): number => {
        if (!o.trainable) return 0;
        return o.parameterization === 'ntk' ? w2 * k + b2 : k + (hasBias ? 1 : 0);
      };
      const ntk = s.ntk.map((t, i) => w2 * t + contribution(s.nngp[i]));
      return {
        rows: s.rows, cols: s.cols, nngp, ntk, atInput: false,
        varRows: s.varRows.map((k) => w2 * k + b2), varCols: s.varCols.map((k) => w2 * k + b2),
      };
    },
    init(rng, inDim, atInput) {
      const fan = atInput ? 1 : inDim;
      const wScale = o.parameterization === 'ntk' ? 1 : o.wStd / Math.sqrt(fan);
      const params: Record<string, tf.Tensor> = {
        W: tf.tensor2d(rng.child('W').fillNormal(new Float32Array(inDim * o.width), 0, wScale), [inDim, o.width]),
      };
      if (hasBias) {
        const bScale = o.parameterization === 'ntk' ? 1 : o.bStd;
        params.b = tf.tensor1d(rng.child('b').fillNormal(new Float32Array(o.width), 0, bScale));
      }
      return params;
    },
    apply(params, x, atInput) {
      return tf.tidy(() => {
        const fan = atInput ? 1 : x.shape[1];
        const scale = o.parameterization === 'ntk' ? o.wStd / Math.sqrt(fan) : 1;
        let z = tf.matMul(x, params.W as tf.Tensor2D);
        if (scale !== 1) z = tf.mul(z, scale);
        if (hasBias) z = tf.add(z, o.parameterization === 'ntk' ? tf.mul(params.b, o.bStd) : params.b);
        return z as tf.Tensor2D;
      });
    },
  };
}

/**
 * Pointwise nonlinearity phi with its Gaussian kernel pair (k, kdot) (activations.ts):
 *
 *     nngp' = E[phi(u) phi(v)],  ntk' = ntk * E[phi'(u) phi'(v)],  (u, v) ~ N(0, [[q1, c], [c, q2]]).
 */
export function activation(def: ActivationDefinition): LayerV1 {
  return {
    kind: def.id,
    options: {},
    consumesInput: false,
    outDim: (inDim) => inDim,
    trainable: () => [],
    kernel(s) {
      if (s.atInput) {
        throw new InvalidOptionError(`${def.id} position`, 'first layer', 'an activation after a dense layer (its kernel needs Gaussian pre-activations)');
      }
      const nngp = new Float64Array(s.nngp.length);
      const ntk = new Float64Array(s.ntk.length);
      for (let i = 0; i < s.rows; i++) {
        for (let j = 0; j < s.cols; j++) {
          const idx = i * s.cols + j;
          const r = activationKernel(def, s.varRows[i], s.varCols[j], s.nngp[idx]);
          nngp[idx] = r.k;
          ntk[idx] = s.ntk[idx] * r.kdot;
        }
      }
      const varRows = s.varRows.map((q) => activationKernel(def, q, q, q).k);
      const varCols = s.varCols.map((q) => activationKernel(def, q, q, q).k);
      return { rows: s.rows, cols: s.cols, nngp, ntk, varRows, varCols, atInput: false };
    },
    init: () => ({}),
    apply: (_params, x) => def.apply(x),
  };
}

/** Layers in sequence; parameters are named `<index>.<name>` (e.g. "0.W"). */
export function serial(...layers: LayerV1[]): LayerV1 {
  if (layers.length === 0) throw new InvalidOptionError('serial(...layers)', 'no layers', 'at least one layer');
  return {
    kind: 'serial',
    options: { layers: layers.map((l) => ({ kind: l.kind, options: l.options })) },
    consumesInput: layers.some((l) => l.consumesInput),
    outDim: (inDim) => layers.reduce((dim, l) => l.outDim(dim), inDim),
    trainable: () => layers.flatMap((l, i) => l.trainable().map((name) => `${i}.${name}`)),
    kernel: (s) => layers.reduce((state, l) => l.kernel(state), s),
    init(rng, inDim, atInput) {
      const params: Record<string, tf.Tensor> = {};
      let dim = inDim;
      let input = atInput;
      layers.forEach((l, i) => {
        for (const [name, t] of Object.entries(l.init(rng.child(i), dim, input))) params[`${i}.${name}`] = t;
        dim = l.outDim(dim);
        input = input && !l.consumesInput;
      });
      return params;
    },
    apply(params, x, atInput) {
      return tf.tidy(() => {
        let h = x;
        let input = atInput;
        layers.forEach((l, i) => {
          const own: Record<string, tf.Tensor> = {};
          for (const [name, t] of Object.entries(params)) if (name.startsWith(`${i}.`)) own[name.slice(`${i}.`.length)] = t;
          h = l.apply(own, h, input);
          input = input && !l.consumesInput;
        });
        return h;
      });
    },
  };
}
