import { InvalidOptionError } from '@pikt/core';
import { consoleWarning, warnIfNotUnitNorm, type WarningSink } from '../warnings.js';
import { angle, rowCount, type InnerProducts, type PointSetOptions } from './inner-products.js';
import { assertFits, DEFAULT_DENSE_BUDGET_BYTES, innerProductsF64, mirrorLower, type RealArray, requireFinite } from '@pikt/linalg';

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
  /**
   * Threads for the inner products X X'^T (default 'auto': 2 in Node when the product has at least
   * 10^8 multiply-adds, else 1). The numbers are the same bit for bit on any count (innerProductsF64).
   */
  threads?: number | 'auto';
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
  return { rows: ip.rows, cols: ip.cols, data: fill(ip, (g, na, nb, th) => arcCos1(g, na, nb, th, kappa)) };
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
  return { rows: ip.rows, cols: ip.cols, data: fill(ip, (g, na, nb, th) => twoLayerEntry(g, na, nb, th, kappa, both)) };
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
  const d = opts.inputDim;
  const same = b === null || b === a;
  const na = a.length / d, nb = same ? na : (b as RealArray).length / d;
  if (na === 0 || nb === 0) throw new InvalidOptionError('points', `${na} x ${nb}`, 'at least one point in each set');
  requireFinite('points', a);
  if (!same) requireFinite('second point set', b as RealArray);
  assertFits(`kernel matrix (${na} x ${nb} float64)`, na * nb, 8, opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES);
  const threads = opts.threads ?? 'auto';
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1)) throw new InvalidOptionError('threads', threads, "an integer >= 1 or 'auto'");
  const g = innerProductsF64(a, same ? null : b, { inputDim: d, lowerOnly: same, threads: threads === 'auto' ? (na * nb * d >= 1e8 ? 2 : 1) : threads });
  const normsOf = (x: RealArray, n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += (x[i * d + k] as number) ** 2;
    return Math.sqrt(s);
  });
  const normsA = same ? Float64Array.from({ length: na }, (_, i) => Math.sqrt(g[i * na + i])) : normsOf(a, na);
  return { rows: na, cols: nb, g, normsA, normsB: same ? normsA : normsOf(b as RealArray, nb), same };
}

/**
 * The elementwise map over G, in place (G is this call's own array): row by row, and in the
 * symmetric case over the lower triangle (all innerProductsF64 wrote), then mirrored in cache tiles.
 */
function fill(ip: InnerProducts, f: (g: number, na: number, nb: number, theta: number) => number): Float64Array {
  const { rows, cols, g, normsA, normsB, same } = ip;
  for (let i = 0; i < rows; i++) {
    const jEnd = same ? i + 1 : cols;
    const row = i * cols;
    for (let j = 0; j < jEnd; j++) g[row + j] = f(g[row + j], normsA[i], normsB[j], angle(ip, i, j));
  }
  if (same) mirrorLower(g, rows);
  return g;
}
