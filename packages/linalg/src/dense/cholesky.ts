import { InvalidOptionError, PiktError } from '@pikt/core';
import { type RealArray, requireFinite, squareSize } from '../checks.js';
import { assertDenseFits, DEFAULT_DENSE_BUDGET_BYTES } from '../memory-budget.js';
import { createWorkspace } from '../wasm/workspace.js';

export interface CholeskyOptions {
  /**
   * Diagonal jitter delta added before factorizing, A + delta I. 'auto' (default) starts at 0 and,
   * while a pivot is not positive, retries with delta = 1e-12 * mean(diag A), then x10 each time,
   * up to `maxRelativeJitter` * mean(diag A). A number fixes delta and never retries.
   */
  jitter?: 'auto' | number;
  /** Largest automatic jitter relative to mean(diag A) (default 1e-3). */
  maxRelativeJitter?: number;
  memoryBudgetBytes?: number;
}

/** A + jitter I = L L^T, with the jitter reported (SCIENCE.md: never silent). */
export interface CholeskyFactor {
  readonly n: number;
  /** Row-major n x n, lower triangle holds L (upper triangle is zero). */
  readonly L: Float64Array;
  /** The delta actually added to the diagonal (0 when A factorized as is). */
  readonly jitter: number;
  /** jitter / mean(diag A). */
  readonly relativeJitter: number;
  /** Factorization attempts made (1 when no jitter was needed). */
  readonly attempts: number;
  /** x = (A + jitter I)^-1 b by forward and back substitution. */
  solve(b: ArrayLike<number>): Float64Array;
  /** log det(A + jitter I) = 2 sum log L_ii. */
  logDet(): number;
}

/**
 * Cholesky factorization of a symmetric positive (semi-)definite matrix in float64 (row-oriented
 * inner-product form, Golub & Van Loan algorithm 4.2.2: L_ij = (a_ij - sum_{k<j} L_ik L_jk) / L_jj),
 * reading the lower triangle of `a`. Gram matrices are PSD and often numerically singular, hence the
 * reported jitter; a matrix that fails even with the largest jitter is refused with the pivot found.
 */
export function cholesky(a: RealArray, opts: CholeskyOptions = {}): CholeskyFactor {
  const n = squareSize('cholesky input', a);
  assertDenseFits('cholesky input', n, opts.memoryBudgetBytes ?? DEFAULT_DENSE_BUDGET_BYTES);
  requireFinite('cholesky input', a);
  const jitterOpt = opts.jitter ?? 'auto';
  if (jitterOpt !== 'auto' && !(Number.isFinite(jitterOpt) && jitterOpt >= 0)) {
    throw new InvalidOptionError('jitter', jitterOpt, "'auto' or a finite number >= 0");
  }
  const maxRel = opts.maxRelativeJitter ?? 1e-3;
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += a[i * n + i] / n;
  const scale = meanDiag > 0 ? meanDiag : 1;
  const ws = createWorkspace(8 * n * n + 1024);
  const pL = ws.alloc(8 * n * n);
  const L = ws.f64(pL, n * n);
  let jitter = jitterOpt === 'auto' ? 0 : jitterOpt;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const failedAt = factorize(a, n, jitter, ws, pL);
    if (failedAt < 0) break;
    const next = jitter === 0 ? 1e-12 * scale : jitter * 10;
    if (jitterOpt !== 'auto' || next > maxRel * scale) {
      throw new PiktError('PIKT_NOT_POSITIVE_DEFINITE',
        `Cholesky failed at pivot ${failedAt} with diagonal jitter ${jitter.toExponential(3)} (${(jitter / scale).toExponential(3)} x mean diagonal).`,
        jitterOpt === 'auto'
          ? `The matrix is not positive semi-definite or is too ill-conditioned; check it is a Gram matrix, or pass a larger maxRelativeJitter (now ${maxRel}).`
          : "Pass jitter: 'auto' or a larger jitter.");
    }
    jitter = next;
  }
  const out = Float64Array.from(L);
  return {
    n,
    L: out,
    jitter,
    relativeJitter: jitter / scale,
    attempts,
    solve: (b) => choleskySolve(out, n, b),
    logDet() {
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.log(out[i * n + i]);
      return 2 * s;
    },
  };
}

/** Factorize A + jitter I into L (in the workspace); returns -1 on success or the failing pivot. */
function factorize(a: RealArray, n: number, jitter: number, ws: ReturnType<typeof createWorkspace>, pL: number): number {
  const L = ws.f64(pL, n * n);
  L.fill(0);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const s = j > 0 ? ws.k.dot(pL + 8 * rowI, pL + 8 * j * n, j) : 0;
      const aij = (a[rowI + j] as number) + (i === j ? jitter : 0);
      if (i === j) {
        const pivot = aij - s;
        if (!(pivot > 0)) return i;
        L[rowI + i] = Math.sqrt(pivot);
      } else {
        L[rowI + j] = (aij - s) / L[j * n + j];
      }
    }
  }
  return -1;
}

/** Solve L L^T x = b for a row-major lower-triangular L. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  if (b.length !== n) throw new InvalidOptionError('solve(b)', `${b.length} values`, `${n} values`);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const row = i * n;
    for (let k = 0; k < i; k++) s -= L[row + k] * y[k];
    y[i] = s / L[row + i];
  }
  // Back substitution with L^T, column-oriented so L is still read by rows.
  const x = y;
  for (let i = n - 1; i >= 0; i--) {
    x[i] /= L[i * n + i];
    const xi = x[i];
    const row = i * n;
    for (let k = 0; k < i; k++) x[k] -= L[row + k] * xi;
  }
  return x;
}

/** x = (A + delta I)^-1 b with the jitter policy of `cholesky`; returns x and the jitter used. */
export function solveSpd(a: RealArray, b: ArrayLike<number>, opts: CholeskyOptions = {}): { x: Float64Array; jitter: number; relativeJitter: number } {
  const f = cholesky(a, opts);
  return { x: f.solve(b), jitter: f.jitter, relativeJitter: f.relativeJitter };
}
