import { InvalidOptionError } from '@pikt/core';
import { type RealArray, asymmetry, requireFinite, squareSize } from '../checks.js';
import { assertDenseFits, DEFAULT_DENSE_BUDGET_BYTES } from '../memory-budget.js';
import { createWorkspace } from '../wasm/workspace.js';

/**
 * A symmetric n x n matrix known only through products: the matrix-free interface of the
 * Lanczos, CG and generic-predictor paths. `apply` multiplies several vectors per call so the
 * matrix is streamed from memory once for all of them.
 */
export interface SymmetricOperator {
  readonly n: number;
  /** ys[v] <- A xs[v] for every v (ys are overwritten). */
  apply(xs: readonly Float64Array[], ys: Float64Array[]): void;
  /** Bytes the operator holds. */
  readonly bytes: number;
  /** How the matrix is stored, for reports (e.g. "dense float64 2000 x 2000"). */
  readonly storage: string;
}

/** y = A x for one vector (allocates y). */
export function applyOne(op: SymmetricOperator, x: Float64Array): Float64Array {
  const y = new Float64Array(op.n);
  op.apply([x], [y]);
  return y;
}

/**
 * A dense row-major float64 matrix as an operator, copied into a SIMD workspace (products run in
 * the f64x2 kernel, two vectors per pass over the matrix). The matrix must be symmetric.
 */
export function denseOperator(a: RealArray, opts: { memoryBudgetBytes?: number; symmetryTolerance?: number } = {}): SymmetricOperator {
  const n = squareSize('dense operator', a);
  assertDenseFits('dense operator', n, opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES);
  requireFinite('dense operator', a);
  const asym = asymmetry(a, n);
  const tol = opts.symmetryTolerance ?? 1e-10;
  if (asym > tol) throw new InvalidOptionError('dense operator symmetry', `relative asymmetry ${asym.toExponential(2)}`, `a symmetric matrix (<= ${tol})`);
  const ld = n + (n % 2); // even row pitch: the kernels take columns in pairs
  const ws = createWorkspace(8 * (n * ld + 4 * ld) + 1024);
  const pA = ws.alloc(8 * n * ld);
  const A = ws.f64(pA, n * ld);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * ld + j] = a[i * n + j] as number;
  const stride = 8 * ld;
  const px = ws.alloc(2 * stride);
  const py = ws.alloc(2 * stride);
  const X = ws.f64(px, 2 * ld);
  const Y = ws.f64(py, 2 * ld);
  return {
    n,
    bytes: 8 * n * ld,
    storage: `dense float64 ${n} x ${n}`,
    apply(xs, ys) {
      for (let v = 0; v < xs.length; v += 2) {
        const two = v + 1 < xs.length;
        X.fill(0);
        Y.fill(0);
        X.set(xs[v]);
        if (two) X.set(xs[v + 1], ld);
        (two ? ws.k.gemvF64_2 : ws.k.gemvF64_1)(pA, n, ld, ld, px, py, stride);
        ys[v].set(Y.subarray(0, n));
        if (two) ys[v + 1].set(Y.subarray(ld, ld + n));
      }
    },
  };
}
