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
 * the f64x2 kernel, up to four vectors per pass over the matrix). The matrix must be symmetric.
 */
export function denseOperator(a: RealArray, opts: { memoryBudgetBytes?: number; symmetryTolerance?: number } = {}): SymmetricOperator {
  const n = squareSize('dense operator', a);
  assertDenseFits('dense operator', n, opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES);
  requireFinite('dense operator', a);
  const asym = asymmetry(a, n);
  const tol = opts.symmetryTolerance ?? 1e-10;
  if (asym > tol) throw new InvalidOptionError('dense operator symmetry', `relative asymmetry ${asym.toExponential(2)}`, `a symmetric matrix (<= ${tol})`);
  const ld = n + (n % 2); // even row pitch: the kernels take columns in pairs
  const ws = createWorkspace(8 * (n * ld + 8 * ld) + 1024);
  const pA = ws.alloc(8 * n * ld);
  const A = ws.f64(pA, n * ld);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * ld + j] = a[i * n + j] as number;
  const stride = 8 * ld;
  const px = ws.alloc(4 * stride);
  const py = ws.alloc(4 * stride);
  const X = ws.f64(px, 4 * ld);
  const Y = ws.f64(py, 4 * ld);
  return {
    n,
    bytes: 8 * n * ld,
    storage: `dense float64 ${n} x ${n}`,
    apply(xs, ys) {
      // Up to 4 vectors per pass over the matrix (the Lanczos predictor batches 4 start vectors).
      for (let v = 0; v < xs.length;) {
        const b = xs.length - v >= 4 ? 4 : xs.length - v >= 2 ? 2 : 1;
        X.fill(0);
        Y.fill(0);
        for (let t = 0; t < b; t++) X.set(xs[v + t], t * ld);
        (b === 4 ? ws.k.gemvF64_4 : b === 2 ? ws.k.gemvF64_2 : ws.k.gemvF64_1)(pA, n, ld, ld, px, py, stride);
        for (let t = 0; t < b; t++) ys[v + t].set(Y.subarray(t * ld, t * ld + n));
        v += b;
      }
    },
  };
}
