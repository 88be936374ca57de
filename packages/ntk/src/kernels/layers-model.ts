import type * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError, type ModelIO, type ModelV1, type Rng } from '@pikt/core';
import type { LayerV1 } from './layers.js';

/**
 * The finite network of a layer description as a `ModelV1` (parameters named "<layer>.<name>",
 * `trainable` listing those of trainable layers), so the same description gives a model pikt can
 * train and whose empirical NTK (`empiricalNtkFromGradients`) can be set beside `layerKernel`.
 */
export function layersModel(layer: LayerV1, id = 'layers'): ModelV1 & { readonly layer: LayerV1 } {
  return {
    layer,
    specificationVersion: 'v1',
    id,
    options: { layer: { kind: layer.kind, options: layer.options } },
    trainable: layer.trainable(),
    init(rng: Rng, io: ModelIO) {
      const out = layer.outDim(io.inputDim);
      if (out !== io.outputDim) throw new ShapeMismatchError(`${id}: last layer width vs outputDim`, [io.outputDim], [out]);
      return layer.init(rng, io.inputDim, true);
    },
    apply(params, x: tf.Tensor2D) {
      return { logits: layer.apply(params, x, true) };
    },
    dispose(params) {
      for (const t of Object.values(params)) t.dispose();
    },
  };
}
