import { type RealArray, asymmetry, requireFinite, squareSize } from '../checks.js';
import { InvalidOptionError } from '@pikt/core';
import { assertDenseFits, assertFits, DEFAULT_DENSE_BUDGET_BYTES } from '../memory-budget.js';
import { applyQ, applyQt, tridiagonalize } from './tridiagonalize.js';
import { descendingOrder, tridiagonalQl } from './tridiagonal-ql.js';
import { RotationLog, type EigenBasis } from './eigen-basis.js';
import { createWorkspace } from '../wasm/workspace.js';

/** Symmetric eigendecomposition A = V diag(values) V^T, float64, eigenvalues in descending order. */
export interface EighResult {
  readonly n: number;
  /** mu_1 >= mu_2 >= ... >= mu_n. */
  readonly values: Float64Array;
  /**
   * Row-major n x n; ROW j is the unit eigenvector v_j of values[j] (the transpose of numpy's
   * `eigh` layout, so each eigenvector is a contiguous `vectors.subarray(j*n, (j+1)*n)`).
   */
  readonly vectors: Float64Array;
}

/** Eigenvalues plus the projections v_j . b of given vectors, without forming V. */
export interface EighProjections {
  readonly n: number;
  readonly values: Float64Array;
  /** projections[t][j] = v_j . targets[t]. */
  readonly projections: Float64Array[];
}

export interface EighOptions {
  /** Largest tolerated relative asymmetry max|a_ij - a_ji| / max|a_ij| (default 1e-10). */
  symmetryTolerance?: number;
  /** Refuse n x n work arrays above this many bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/**
 * Validate the input and refuse it up front when the work arrays would exceed the budget:
 * `bytesPerEntry` n^2 bytes (eigh: matrix, vectors and result, 24; eighFactor: matrix and the log
 * of about 1.1 n^2 plane rotations at 20 bytes each, 30).
 */
function prepare(a: RealArray, opts: EighOptions, what: string, bytesPerEntry: number): number {
  const n = squareSize(what, a);
  const budget = opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES;
  assertDenseFits(what, n, budget);
  assertFits(`${what} work arrays (about ${bytesPerEntry} n^2 bytes for n = ${n})`, n * n, bytesPerEntry, budget);
  requireFinite(what, a);
  const tol = opts.symmetryTolerance ?? 1e-10;
  const asym = asymmetry(a, n);
  if (asym > tol) {
    throw new InvalidOptionError(`${what} symmetry`, `relative asymmetry ${asym.toExponential(2)}`,
      `a symmetric matrix (asymmetry <= ${tol}); symmetrize it with (A + A^T)/2 or raise symmetryTolerance`);
  }
  return n;
}

/**
 * Full eigendecomposition: Householder tridiagonalization, implicit QL on T with the rotations
 * accumulated into eigenvector rows, then back-transformation V = Q Z, all in float64 with the
 * SIMD kernels (about 8 n^3 flops). For the spectral quantities alone use `eighProject`
 * (4/3 n^3) or, for large n, the Lanczos path. The lower triangle of `a` is what is read.
 */
export function eigh(a: RealArray, opts: EighOptions = {}): EighResult {
  const n = prepare(a, opts, 'eigh input', 24);
  const ws = createWorkspace(8 * (2 * n * n + 8 * n) + 1024);
  const pA = ws.alloc(8 * n * n);
  ws.f64(pA, n * n).set(a as ArrayLike<number>);
  const t = tridiagonalize(ws, pA, n);
  const pZ = ws.alloc(8 * n * n);
  const z = ws.f64(pZ, n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  const d = Float64Array.from(t.d);
  const e = Float64Array.from(t.e);
  tridiagonalQl(d, e, (i, c, s) => ws.k.rot(pZ + 8 * i * n, pZ + 8 * (i + 1) * n, c, s, n));
  for (let j = 0; j < n; j++) applyQ(t, pZ + 8 * j * n);
  const order = descendingOrder(d);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    values[j] = d[order[j]];
    vectors.set(z.subarray(order[j] * n, (order[j] + 1) * n), j * n);
  }
  return { n, values, vectors };
}

/**
 * Eigenvalues plus an implicit eigenbasis, V = Q Z with Q kept as its Householder reflectors and Z
 * as the log of the QL plane rotations (about n^2 of them): 4/3 n^3 flops and O(n^2) memory, and
 * then `project` (V^T b) and `expand` (V c) at O(n^2) each, the cost of one matrix-vector product.
 * This is the dense path's workhorse: the predictor needs coordinates and a few vectors, never V.
 */
export function eighFactor(a: RealArray, opts: EighOptions = {}): EigenBasis {
  const n = prepare(a, opts, 'eighFactor input', 30);
  const ws = createWorkspace(8 * (n * n + 8 * n) + 1024);
  const pA = ws.alloc(8 * n * n);
  ws.f64(pA, n * n).set(a as ArrayLike<number>);
  const t = tridiagonalize(ws, pA, n);
  const d = Float64Array.from(t.d);
  const e = Float64Array.from(t.e);
  const log = new RotationLog();
  tridiagonalQl(d, e, (i, c, s) => log.push(i, c, s));
  const order = descendingOrder(d);
  const values = Float64Array.from(order, (j) => d[j]);
  const ptmp = ws.alloc(8 * n);
  const tmp = ws.f64(ptmp, n);
  return {
    n,
    values,
    project(b) {
      if (b.length !== n) throw new InvalidOptionError('project(b)', `${b.length} values`, `${n} values`);
      tmp.set(b);
      applyQt(t, ptmp);
      const x = Float64Array.from(tmp);
      log.forward(x);
      return Float64Array.from(order, (j) => x[j]);
    },
    expand(c) {
      if (c.length !== n) throw new InvalidOptionError('expand(c)', `${c.length} values`, `${n} values`);
      const x = new Float64Array(n);
      for (let j = 0; j < n; j++) x[order[j]] = c[j];
      log.backward(x);
      tmp.set(x);
      applyQ(t, ptmp);
      return Float64Array.from(tmp);
    },
  };
}

/**
 * Eigenvalues of A and the coordinates v_j . b of each target b in the eigenbasis (via
 * `eighFactor`): 4/3 n^3 + O(n^2 targets) flops.
 */
export function eighProject(a: RealArray, targets: readonly ArrayLike<number>[], opts: EighOptions = {}): EighProjections {
  const basis = eighFactor(a, opts);
  const projections = targets.map((b, i) => {
    requireFinite(`targets[${i}]`, b);
    return basis.project(b);
  });
  return { n: basis.n, values: basis.values, projections };
}

/** Eigenvalues only (descending), 4/3 n^3 flops. */
export function eigvalsh(a: RealArray, opts: EighOptions = {}): Float64Array {
  return eighFactor(a, opts).values;
}
