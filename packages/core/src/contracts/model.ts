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
  applyWithVjp?(params: P, x: Tensor2D, backward: (logits: Tensor2D) => Tensor2D): {
    logits: Tensor2D;
    grads: Partial<Record<keyof P & string, Tensor>>;
  };
  /** Release the tensors held by `params`. */
  dispose?(params: P): void;
}
