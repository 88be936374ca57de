import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';

export interface ModelIO {
  inputDim: number;
  outputDim: number;
}

/**
 * Model contract, version 1 (neural-tangents' init/apply split): parameters are explicit values, so
 * the same description gives the finite network and, in @pikt/ntk, its kernel.
 */
export interface ModelV1<P = unknown> {
  readonly specificationVersion: 'v1';
  readonly id: string;
  /** Draw initial parameters; must be deterministic in `rng`. */
  init(rng: Rng, io: ModelIO): P;
  /** Forward pass; `logits` is [batch, outputDim], `features` the last hidden layer if any. */
  apply(params: P, x: Tensor2D): { logits: Tensor2D; features?: Tensor2D };
  /** Release the tensors held by `params`. */
  dispose?(params: P): void;
}
