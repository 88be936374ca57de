import { consoleWarning, warnIfNotUnitNorm, type WarningSink } from '../warnings.js';
import { activation, dense, serial, type LayerV1 } from './layers.js';
import { erfActivation, reluActivation } from './activations.js';
import { innerProducts, rowCount, type PointSetOptions } from './inner-products.js';
import type { KernelMatrix } from './analytic-kernel.js';
import { type RealArray } from '@pikt/linalg';

/** ReLU layer. */
export const relu = (): LayerV1 => activation(reluActivation);
/** erf layer. */
export const erf = (): LayerV1 => activation(erfActivation);

export interface LayerKernelOptions extends PointSetOptions {
  onWarning?: WarningSink;
}

/**
 * The infinite-width NNGP and NTK of a layer description between point sets A (rows) and B
 * (cols; null for A itself), starting from nngp = x.x' and ntk = 0 at the input.
 */
export function layerKernel(layer: LayerV1, a: RealArray, b: RealArray | null, opts: LayerKernelOptions): { nngp: KernelMatrix; ntk: KernelMatrix } {
  const sink = opts.onWarning ?? consoleWarning;
  rowCount('points', a as ArrayLike<number>, opts.inputDim);
  if (b !== null) rowCount('second point set', b as ArrayLike<number>, opts.inputDim);
  warnIfNotUnitNorm('kernel inputs', a as ArrayLike<number>, opts.inputDim, sink);
  if (b !== null && b !== a) warnIfNotUnitNorm('kernel inputs (second set)', b as ArrayLike<number>, opts.inputDim, sink);
  const ip = innerProducts(a, b, opts);
  const out = layer.kernel({
    rows: ip.rows,
    cols: ip.cols,
    nngp: ip.g,
    ntk: new Float64Array(ip.g.length),
    varRows: ip.normsA.map((v) => v * v),
    varCols: ip.normsB.map((v) => v * v),
    atInput: true,
  });
  return {
    nngp: { rows: out.rows, cols: out.cols, data: out.nngp },
    ntk: { rows: out.rows, cols: out.cols, data: out.ntk },
  };
}

export type StudentLayersOptions = {
  /** Hidden width m of the finite network. */
  width: number;
  /** w_r(0) ~ N(0, kappa^2 I). */
  kappa?: number;
  /** Number of outputs K. */
  outputs?: number;
  trainLayers?: 'first' | 'both';
};

/**
 * The two-layer student of SCIENCE.md section 1 as a layer description,
 * f(x) = (1/sqrt(m)) sum_r a_r relu(w_r . x): a 'standard' dense layer of width m with sigma_w = kappa
 * (w_r ~ N(0, kappa^2 I), trained), relu, and an 'ntk' readout with sigma_w = 1 (trained only with
 * trainLayers 'both'). Its kernel equals `twoLayerNtk`; its finite network draws a ~ N(0, 1) where
 * the student draws a in {-1, +1}, which has the same kernel.
 */
export function twoLayerStudentLayers(o: StudentLayersOptions): LayerV1 {
  return serial(
    dense({ width: o.width, wStd: o.kappa ?? 1, parameterization: 'standard', trainable: true }),
    relu(),
    dense({ width: o.outputs ?? 1, wStd: 1, parameterization: 'ntk', trainable: (o.trainLayers ?? 'first') === 'both' }),
  );
}
