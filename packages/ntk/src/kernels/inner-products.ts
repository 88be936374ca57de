import { InvalidOptionError, ShapeMismatchError, requirePositiveInt } from '@pikt/core';
import { assertFits, createWorkspace, DEFAULT_DENSE_BUDGET_BYTES, type RealArray, requireFinite } from '@pikt/linalg';

/** Inner products G = A B^T of two row-major point sets, in float64, with the rows' norms. */
export interface InnerProducts {
  /** Rows of A (the matrix's rows). */
  readonly rows: number;
  /** Rows of B (the matrix's columns). */
  readonly cols: number;
  /** Row-major rows x cols, G_ij = a_i . b_j. */
  readonly g: Float64Array;
  readonly normsA: Float64Array;
  readonly normsB: Float64Array;
  /** True when B is A (the train-train block): the diagonal is then exact. */
  readonly same: boolean;
}

export interface PointSetOptions {
  /** d, the input dimension (row length). */
  inputDim: number;
  /** Refuse a result above this many bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/** Number of rows of a row-major [n, d] array, or a ShapeMismatchError. */
export function rowCount(what: string, x: ArrayLike<number>, d: number): number {
  requirePositiveInt('inputDim', d);
  if (x.length % d !== 0) throw new ShapeMismatchError(`${what} (row-major [n, inputDim=${d}])`, `a multiple of ${d} values`, `${x.length} values`);
  return x.length / d;
}

/** Euclidean norms of the rows of a row-major [n, d] array, in float64. */
export function rowNorms(x: ArrayLike<number>, d: number): Float64Array {
  const n = Math.floor(x.length / d);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] * x[i * d + j];
    out[i] = Math.sqrt(s);
  }
  return out;
}

/**
 * G = A B^T (B = A when `b` is null) in float64 with the SIMD dot kernel: n_A n_B d flops. The
 * symmetric case computes the lower triangle and mirrors it.
 */
export function innerProducts(a: RealArray, b: RealArray | null, opts: PointSetOptions): InnerProducts {
  const d = opts.inputDim;
  const na = rowCount('points', a, d);
  const same = b === null || b === a;
  const bb = same ? a : (b as RealArray);
  const nb = same ? na : rowCount('second point set', bb, d);
  if (na === 0 || nb === 0) throw new InvalidOptionError('points', `${na} x ${nb}`, 'at least one point in each set');
  requireFinite('points', a);
  if (!same) requireFinite('second point set', bb);
  assertFits(`kernel matrix (${na} x ${nb} float64)`, na * nb, 8, opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES);
  const ws = createWorkspace(8 * d * (na + (same ? 0 : nb)) + 1024);
  const pa = ws.alloc(8 * na * d);
  ws.f64(pa, na * d).set(a as ArrayLike<number>);
  let pb = pa;
  if (!same) {
    pb = ws.alloc(8 * nb * d);
    ws.f64(pb, nb * d).set(bb as ArrayLike<number>);
  }
  const g = new Float64Array(na * nb);
  for (let i = 0; i < na; i++) {
    const jEnd = same ? i + 1 : nb;
    for (let j = 0; j < jEnd; j++) g[i * nb + j] = ws.k.dot(pa + 8 * i * d, pb + 8 * j * d, d);
  }
  if (same) for (let i = 0; i < na; i++) for (let j = 0; j < i; j++) g[j * na + i] = g[i * na + j];
  const normsA = new Float64Array(na);
  for (let i = 0; i < na; i++) normsA[i] = Math.sqrt(same ? g[i * na + i] : ws.k.dot(pa + 8 * i * d, pa + 8 * i * d, d));
  let normsB = normsA;
  if (!same) {
    normsB = new Float64Array(nb);
    for (let j = 0; j < nb; j++) normsB[j] = Math.sqrt(ws.k.dot(pb + 8 * j * d, pb + 8 * j * d, d));
  }
  return { rows: na, cols: nb, g, normsA, normsB, same };
}

/**
 * The angle theta = arccos(a.b / (|a| |b|)), clamped to [0, pi]; 0 on the diagonal of a
 * train-train block (exactly, so Hinf_ii = ||x_i||^2 / 2 holds to the last bit) and pi/2 when
 * either vector is zero (the kernels below vanish there anyway).
 */
export function angle(ip: InnerProducts, i: number, j: number): number {
  if (ip.same && i === j) return 0;
  const den = ip.normsA[i] * ip.normsB[j];
  if (den === 0) return Math.PI / 2;
  const c = ip.g[i * ip.cols + j] / den;
  return Math.acos(c > 1 ? 1 : c < -1 ? -1 : c);
}
