import { InvalidOptionError, ShapeMismatchError, requireNumber, requirePositiveInt } from '@pikt/core';
import { type RealArray, requireFinite } from '@pikt/linalg';

/** What the kernel-regime predictor needs besides the Gram (SCIENCE.md sections 2-3). */
export interface PiProblemInput {
  /** Labels y, row-major [n, K] (sample i, output k at i*K + k). */
  y: RealArray;
  /** Teacher PI targets z (its outputs), same layout. */
  z: RealArray;
  /** Weight of the PI term, lambda >= 0. */
  lambda: number;
  /** GD step size eta > 0. */
  eta: number;
  /** Number of outputs K (default 1); the Gram is H (x) I_K, applied per output column. */
  outputs?: number;
  /** Student outputs at init u(0) on the training points (default 0: symmetric init). */
  u0?: RealArray;
  /** Test points: H(X*, X) [nTest, n], f(X*; W(0)) (default 0) and labels for loss and accuracy. */
  test?: { gram: RealArray; f0?: RealArray; y?: RealArray };
}

/** The problem split into per-output columns, with the derived vectors of SCIENCE.md section 2. */
export interface PiProblem {
  readonly n: number;
  readonly K: number;
  readonly lambda: number;
  readonly eta: number;
  /** alpha = lambda / (1 + lambda). */
  readonly alpha: number;
  /** Effective step s = eta (1 + lambda). */
  readonly s: number;
  readonly y: Float64Array[];
  readonly z: Float64Array[];
  readonly u0: Float64Array[];
  /** ybar = (y + lambda z) / (1 + lambda). */
  readonly ybar: Float64Array[];
  /** e0 = u0 - ybar (u(k) - ybar = (I - sH)^k e0). */
  readonly e0: Float64Array[];
  /** d = z - y (ybar - y = alpha d, ybar - z = -(1 - alpha) d). */
  readonly d: Float64Array[];
  readonly test?: { nTest: number; gram: Float64Array; f0: Float64Array[]; y?: Float64Array[] };
}

/** Columns of a row-major [rows, K] array. */
export function columns(a: ArrayLike<number>, rows: number, K: number): Float64Array[] {
  return Array.from({ length: K }, (_, q) => {
    const c = new Float64Array(rows);
    for (let i = 0; i < rows; i++) c[i] = a[i * K + q];
    return c;
  });
}

/** Interleave columns back into row-major [rows, K]. */
export function interleave(cols: readonly Float64Array[]): Float64Array {
  const K = cols.length;
  const rows = K ? cols[0].length : 0;
  const out = new Float64Array(rows * K);
  for (let q = 0; q < K; q++) for (let i = 0; i < rows; i++) out[i * K + q] = cols[q][i];
  return out;
}

/** Validate and split; `n` is the Gram's size. */
export function preparePiProblem(input: PiProblemInput, n: number): PiProblem {
  const K = input.outputs ?? 1;
  requirePositiveInt('outputs', K);
  requireNumber('lambda', input.lambda, { min: 0 });
  requireNumber('eta', input.eta, { min: 0, minExclusive: true });
  const check = (what: string, a: RealArray | undefined, rows: number): void => {
    if (a === undefined) return;
    if (a.length !== rows * K) throw new ShapeMismatchError(`${what} (row-major [n, outputs])`, [rows, K], `${a.length} values`);
    requireFinite(what, a as ArrayLike<number>);
  };
  check('y', input.y, n);
  check('z', input.z, n);
  check('u0', input.u0, n);
  const lambda = input.lambda;
  const alpha = lambda / (1 + lambda);
  const y = columns(input.y as ArrayLike<number>, n, K);
  const z = columns(input.z as ArrayLike<number>, n, K);
  const u0 = input.u0 ? columns(input.u0 as ArrayLike<number>, n, K) : y.map(() => new Float64Array(n));
  const ybar = y.map((yc, q) => yc.map((v, i) => (v + lambda * z[q][i]) / (1 + lambda)));
  const e0 = u0.map((uc, q) => uc.map((v, i) => v - ybar[q][i]));
  const d = z.map((zc, q) => zc.map((v, i) => v - y[q][i]));
  let test: PiProblem['test'];
  if (input.test) {
    const g = input.test.gram;
    if (g.length % n !== 0 || g.length === 0) {
      throw new ShapeMismatchError('test.gram H(X*, X) (row-major [nTest, n])', `a positive multiple of n = ${n} values`, `${g.length} values`);
    }
    requireFinite('test.gram', g as ArrayLike<number>);
    const nTest = g.length / n;
    check('test.f0', input.test.f0, nTest);
    check('test.y', input.test.y, nTest);
    test = {
      nTest,
      gram: Float64Array.from(g as ArrayLike<number>),
      f0: input.test.f0 ? columns(input.test.f0 as ArrayLike<number>, nTest, K) : y.map(() => new Float64Array(nTest)),
      y: input.test.y ? columns(input.test.y as ArrayLike<number>, nTest, K) : undefined,
    };
  }
  return { n, K, lambda, eta: input.eta, alpha, s: input.eta * (1 + lambda), y, z, u0, ybar, e0, d, test };
}

/** Inverse of a spectrum with a reported jitter: 1 / (mu_j + delta). */
export interface JitteredInverse {
  inv: Float64Array;
  jitter: number;
  relativeJitter: number;
}

/**
 * delta = 0 when every mu_j > 1e-12 mu_1; otherwise the smallest delta lifting mu_n to 1e-12 mu_1
 * (or the caller's fixed jitter). SCIENCE.md: solves use a jitter that is reported, never silent.
 */
export function jitteredInverse(values: Float64Array, jitter: 'auto' | number = 'auto'): JitteredInverse {
  const mu1 = values.reduce((a, b) => Math.max(a, b), 0);
  let minMu = Infinity;
  for (const v of values) minMu = Math.min(minMu, v);
  let delta: number;
  if (jitter === 'auto') {
    const floor = 1e-12 * mu1;
    delta = minMu > floor ? 0 : floor - minMu;
  } else {
    if (!(Number.isFinite(jitter) && jitter >= 0)) throw new InvalidOptionError('jitter', jitter, "'auto' or a finite number >= 0");
    delta = jitter;
  }
  const inv = values.map((v) => (v + delta > 0 ? 1 / (v + delta) : 0));
  return { inv, jitter: delta, relativeJitter: mu1 > 0 ? delta / mu1 : 0 };
}
