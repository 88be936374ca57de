import { InvalidOptionError, type JsonObject } from '@pikt/core';
import { type RealArray } from '@pikt/linalg';
import type { KernelMatrix } from './analytic-kernel.js';
import { layerKernel, twoLayerStudentLayers, type LayerKernelOptions } from './layer-kernel.js';
import type { LayerV1 } from './layers.js';

/**
 * What a trained model says about itself: its id and JSON options (every `ModelV1` has both), or
 * the layer description it was built from (`layersModel` attaches it as `layer`).
 */
export interface StudentDescription {
  readonly id: string;
  readonly options?: JsonObject | Readonly<JsonObject>;
  readonly layer?: LayerV1;
}

/** The model id of @pikt/models' wide two-layer student (the one pikt trains and predicts). */
const WIDE_STUDENT = 'wide-student';

/**
 * The layer description of a trained model, so its kernel is computed from the object that was
 * trained rather than by convention. For the wide student, whose options are
 * { width: m, kappa, trainLayers }, that is
 *
 *     serial(dense(m, sigma_w = kappa, standard), relu, dense(K, sigma_w = 1, ntk))
 *
 * (f(x) = (1/sqrt(m)) sum_r a_r relu(w_r . x), SCIENCE.md section 1). Its NTK is Hinf for
 * trainLayers 'first' (`hinf` is the closed-form fast path of the same kernel) and Hinf + K1
 * for 'both'.
 */
export function studentLayers(model: StudentDescription): LayerV1 {
  if (model.layer) return model.layer;
  if (model.id !== WIDE_STUDENT) {
    throw new InvalidOptionError('model', model.id, `must be "${WIDE_STUDENT}" or a model built by layersModel (one that carries its layer description)`, { owner: 'studentLayers' });
  }
  const o = (model.options ?? {}) as { width?: unknown; kappa?: unknown; trainLayers?: unknown };
  if (typeof o.width !== 'number' || typeof o.kappa !== 'number' || (o.trainLayers !== 'first' && o.trainLayers !== 'both')) {
    throw new InvalidOptionError('model.options', model.options, 'must be the wide student\'s resolved options { width, kappa, trainLayers }', { owner: 'studentLayers' });
  }
  return twoLayerStudentLayers({ width: o.width, kappa: o.kappa, trainLayers: o.trainLayers });
}

/** The infinite-width NTK Theta(A, B) of a trained model, per output (b null: Theta(A, A)). */
export function studentNtk(model: StudentDescription, a: RealArray, b: RealArray | null, opts: LayerKernelOptions): KernelMatrix {
  return layerKernel(studentLayers(model), a, b, opts).ntk;
}
