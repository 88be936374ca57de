import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { JsonObject } from './json.js';
import type { Rng } from '../rng.js';

export interface ModelIO {
  inputDim: number;
  outputDim: number;
}

/** A model's parameters: named tensors (e.g. { W, a } for the two-layer student). */
export type ParamTensors = Record<string, Tensor>;

/**
 * Model contract, version 1 (neural-tangents' init/apply split): parameters are explicit values, so
 * the same description gives the finite network and, in @pikt/ntk, its kernel.
 */
export interface ModelV1<P extends ParamTensors = ParamTensors> {
  readonly specificationVersion: 'v1';
  readonly id: string;
  /** The JSON options the factory was called with (after defaults), for configs and checkpoints. */
  readonly options?: JsonObject;
  /** Names of the parameters training updates (default: all of them). */
  readonly trainable?: readonly string[];
  /** Draw initial parameters; must be deterministic in `rng`. */
  init(rng: Rng, io: ModelIO): P;
  /** Forward pass; `logits` is [batch, outputDim], `features` the last hidden layer if any. */
  apply(params: P, x: Tensor2D): { logits: Tensor2D; features?: Tensor2D };
  /**
   * Optional hand-written vector-Jacobian product: for dLogits = dL/dlogits ([batch, outputDim]),
   * the gradients dL/dp of the trainable parameters. When absent, trainers use tfjs autodiff
   * through `apply`. Hand-written backprop avoids tfjs's transposed matMul, 10-50x slower on wasm.
   */
  vjp?(params: P, x: Tensor2D, dLogits: Tensor2D): Partial<Record<keyof P & string, Tensor>>;
  /**
   * Optional fused forward + vjp: runs `apply`, asks `backward(logits)` for dL/dlogits, and returns
   * the logits with the trainable parameters' gradients, reusing what the forward pass computed
   * (e.g. the wide student's activation masks). Trainers prefer it over `apply` then `vjp`.
   */
  applyWithVjp?(params: P, x: Tensor2D, backward: (logits: Tensor2D) => Tensor2D, options?: ApplyWithVjpOptions): {
    logits: Tensor2D;
    grads: Partial<Record<keyof P & string, Tensor>>;
    /** With `options.keepPatterns` (models with `activationPatterns`): the forward pass's patterns, the caller's to dispose. */
    patterns?: ActivationPatterns;
  };
  /**
   * Optional: the model can hand out the activation patterns S = 1{X W^T > 0} of its first layer,
   * as its forward pass makes them, so that a trainer can track the kernel drift of
   * H(W) = (X X^T) .* (S S^T) / m without another X W^T product (SCIENCE.md P8).
   */
  readonly activationPatterns?: ActivationPatternSupport<P>;
  /** Release the tensors held by `params`. */
  dispose?(params: P): void;
}

/** Options of `ModelV1.applyWithVjp`. */
export interface ApplyWithVjpOptions {
  /** Return the forward pass's activation patterns (`patterns`) instead of freeing them. */
  keepPatterns?: boolean;
}

/**
 * First-layer activation patterns s_ir = 1{w_r . x_i > 0} of one batch, in the blocks the forward
 * pass made: neuron-major [b_q, batch] (neurons b_1 + b_2 + ... = m in order) or points-major
 * [batch, b_q]; `values` 'mask' holds 0/1, 'preactivations' the z = w_r . x_i themselves (s = 1{z >= 0}).
 */
export interface ActivationPatterns {
  blocks: Tensor2D[];
  layout: 'neurons-major' | 'points-major';
  values: 'mask' | 'preactivations';
}

/** What a model offers of its activation patterns (`ModelV1.activationPatterns`). */
export interface ActivationPatternSupport<P extends ParamTensors = ParamTensors> {
  /** Hidden neurons m (the patterns' width). */
  readonly neurons: number;
  /** Why `applyWithVjp` cannot keep the patterns of a batch of `rows` points, or undefined when it can. */
  unavailable(rows: number): string | undefined;
  /** The patterns at `params` by a forward pass of their own (one X W^T): for a step no training forward pass precedes. */
  compute(params: P, x: Tensor2D): ActivationPatterns;
}
