import { InvalidOptionError } from '@pikt/core';
import { consoleWarning, warnIfNotUnitNorm, type WarningSink } from '../warnings.js';
import { angle, innerProducts, rowCount, type InnerProducts, type PointSetOptions } from './inner-products.js';
import { type RealArray } from '@pikt/linalg';

/** A dense kernel block K(A, B): rows index A's points, columns B's. */
export interface KernelMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major rows x cols, float64. */
  readonly data: Float64Array;
}

export interface AnalyticKernelOptions extends PointSetOptions {
  /** 'first' (default): only W trains, the theory's default; 'both': the second layer a trains too. */
  trainLayers?: 'first' | 'both';
  /** Init scale of the first layer, w_r(0) ~ N(0, kappa^2 I) (default 1); only the 'both' term depends on it. */
  kappa?: number;
  /** Where the unit-norm warning goes (default console.warn); pass `() => {}` to silence it. */
  onWarning?: WarningSink;
}

const TWO_PI = 2 * Math.PI;

/**
 * Hinf, the infinite-width NTK of the two-layer ReLU student for first-layer training
 * (SCIENCE.md section 3; Du et al. 2019, Arora et al. 2019):
 *
 *     Hinf(x, x') = E_{w ~ N(0, I)}[ x.x' 1{w.x >= 0} 1{w.x' >= 0} ] = x.x' (pi - theta) / (2 pi),
 *     theta = arccos(x.x' / (||x|| ||x'||)),
 *
 * valid for any norms (the indicator is scale-invariant), so Hinf(x, x) = ||x||^2 / 2 and the
 * kernel does not depend on kappa. `b` null gives the train-train block Hinf(X, X).
 */
export function hinf(a: RealArray, b: RealArray | null, opts: AnalyticKernelOptions): KernelMatrix {
  return twoLayerNtk(a, b, { ...opts, trainLayers: 'first' });
}

/**
 * The arc-cosine kernel of order 1 (Cho & Saul 2009) scaled as the second-layer NTK term:
 *
 *     K1(x, x') = E_{w ~ N(0, kappa^2 I)}[ relu(w.x) relu(w.x') ]
 *               = kappa^2 ||x|| ||x'|| (sin theta + (pi - theta) cos theta) / (2 pi).
 */
export function arcCosineKernel(a: RealArray, b: RealArray | null, opts: AnalyticKernelOptions): KernelMatrix {
  const ip = prepare(a, b, opts);
  const kappa = kappaOf(opts);
  const data = new Float64Array(ip.rows * ip.cols);
  fill(ip, data, (g, na, nb, th) => arcCos1(g, na, nb, th, kappa));
  return { rows: ip.rows, cols: ip.cols, data };
}

/**
 * The two-layer student's NTK: Hinf, plus K1 when both layers train (SCIENCE.md section 3):
 *
 *     Theta(x, x') = x.x' (pi - theta)/(2 pi)  [+ kappa^2 ||x|| ||x'|| (sin theta + (pi - theta) cos theta)/(2 pi)].
 *
 * Per output; for K outputs the Gram is Theta (x) I_K. Warns (once per call) when the inputs are not
 * unit-norm, with the measured norms.
 */
export function twoLayerNtk(a: RealArray, b: RealArray | null, opts: AnalyticKernelOptions): KernelMatrix {
  if (!['first', 'both'].includes(opts.trainLayers ?? 'first')) {
    throw new InvalidOptionError('trainLayers', opts.trainLayers, "'first' or 'both'");
  }
  const both = (opts.trainLayers ?? 'first') === 'both';
  const ip = prepare(a, b, opts);
  const kappa = kappaOf(opts);
  const data = new Float64Array(ip.rows * ip.cols);
  fill(ip, data, (g, na, nb, th) => twoLayerEntry(g, na, nb, th, kappa, both));
  return { rows: ip.rows, cols: ip.cols, data };
}

/** One entry of `twoLayerNtk` from g = x.x', the two norms and the angle theta between x and x'. */
export function twoLayerEntry(g: number, na: number, nb: number, theta: number, kappa: number, both: boolean): number {
  return (g * (Math.PI - theta)) / TWO_PI + (both ? arcCos1(g, na, nb, theta, kappa) : 0);
}

function arcCos1(g: number, na: number, nb: number, th: number, kappa: number): number {
  // cos theta * ||a|| ||b|| is g itself; using it avoids a cancellation-prone cos(acos(.)).
  return (kappa * kappa * (na * nb * Math.sin(th) + (Math.PI - th) * g)) / TWO_PI;
}

function kappaOf(opts: AnalyticKernelOptions): number {
  const kappa = opts.kappa ?? 1;
  if (!(Number.isFinite(kappa) && kappa > 0)) throw new InvalidOptionError('kappa', kappa, 'a finite number > 0');
  return kappa;
}

function prepare(a: RealArray, b: RealArray | null, opts: AnalyticKernelOptions): InnerProducts {
  const sink = opts.onWarning ?? consoleWarning;
  rowCount('points', a as ArrayLike<number>, opts.inputDim);
  if (b !== null) rowCount('second point set', b as ArrayLike<number>, opts.inputDim);
  warnIfNotUnitNorm('kernel inputs', a as ArrayLike<number>, opts.inputDim, sink);
  if (b !== null && b !== a) warnIfNotUnitNorm('kernel inputs (second set)', b as ArrayLike<number>, opts.inputDim, sink);
  return innerProducts(a, b, opts);
}

function fill(ip: InnerProducts, out: Float64Array, f: (g: number, na: number, nb: number, theta: number) => number): void {
  const { rows, cols, g, normsA, normsB } = ip;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = f(g[i * cols + j], normsA[i], normsB[j], angle(ip, i, j));
  }
}
