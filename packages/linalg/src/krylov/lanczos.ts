import { InvalidOptionError } from '@pikt/core';
import type { SymmetricOperator } from '../operators/symmetric-operator.js';
import { createWorkspace, type Workspace } from '../wasm/workspace.js';

/**
 * Lanczos tridiagonalization with full reorthogonalization (Golub & Van Loan 10.1; Paige 1972),
 * run for several start vectors at once so each product with the operator streams the matrix
 * once for all of them:
 *
 *     q_0 = b / ||b||,   beta_{j} q_{j+1} = A q_j - alpha_j q_j - beta_{j-1} q_{j-1},   alpha_j = q_j . A q_j,
 *
 * then w <- w - Q (Q^T w) twice ("twice is enough", Parlett) so Q stays orthonormal to working
 * precision and no ghost Ritz values appear. After k steps T_k = tridiag(beta, alpha, beta) and
 * b^T f(A) b ~ ||b||^2 e_1^T f(T_k) e_1 (Gauss quadrature, Golub & Meurant 2010).
 */
export interface LanczosRun {
  /** ||b||. */
  readonly norm: number;
  /** Steps taken (size of T). */
  readonly steps: number;
  /** Diagonal of T (alpha_0 .. alpha_{k-1}). */
  readonly alpha: Float64Array;
  /** beta_j = T[j+1][j] for j < k; beta[k-1] couples to the next (unbuilt) vector. */
  readonly beta: Float64Array;
  /** True when a beta vanished: the Krylov space is invariant and the quadrature is exact. */
  readonly exhausted: boolean;
  /** Q^T v for a vector v (k coordinates), using the stored basis. */
  projectOnBasis(v: Float64Array): Float64Array;
  /** Q c for k coordinates c. */
  combine(c: Float64Array): Float64Array;
}

export interface LanczosOptions {
  /** Most steps per run (default min(n, 300)). */
  maxSteps?: number;
  /**
   * Called after every `checkEvery` steps with the runs so far; return true to stop early
   * (the predictors stop when their quadrature bounds have converged), or one flag per run to
   * stop only the runs flagged true: the others go on, and each product then streams the matrix
   * for fewer vectors (a pass with 4 vectors costs about 2.3x one with 1 on the float32 block
   * Gram at n = 50,000, so runs that converge early make the later passes cheaper).
   */
  onProgress?: (runs: readonly LanczosRun[], step: number) => boolean | readonly boolean[];
  checkEvery?: number;
}

interface RunState {
  ws: Workspace;
  pQ: number;
  n: number;
  norm: number;
  alpha: number[];
  beta: number[];
  exhausted: boolean;
  /** Stopped by onProgress (its Krylov space is not invariant: no more products for it). */
  stopped: boolean;
}

/** Lanczos on every start vector (zero vectors give empty runs). */
export function lanczos(op: SymmetricOperator, starts: readonly Float64Array[], opts: LanczosOptions = {}): LanczosRun[] {
  const n = op.n;
  const maxSteps = Math.min(opts.maxSteps ?? Math.min(n, 300), n);
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new InvalidOptionError('maxSteps', opts.maxSteps, 'an integer >= 1');
  const checkEvery = opts.checkEvery ?? 10;
  const states: RunState[] = starts.map((b) => {
    if (b.length !== n) throw new InvalidOptionError('Lanczos start vector', `${b.length} values`, `${n} values`);
    const ws = createWorkspace(8 * n * (maxSteps + 2) + 1024);
    const pQ = ws.alloc(8 * n * (maxSteps + 1));
    let norm2 = 0;
    for (let i = 0; i < n; i++) norm2 += b[i] * b[i];
    const norm = Math.sqrt(norm2);
    if (norm > 0) {
      const q0 = ws.f64(pQ, n);
      for (let i = 0; i < n; i++) q0[i] = b[i] / norm;
    }
    return { ws, pQ, n, norm, alpha: [], beta: [], exhausted: norm === 0, stopped: false };
  });
  for (let j = 0; j < maxSteps; j++) {
    const active = states.filter((s) => !s.exhausted && !s.stopped);
    if (active.length === 0) break;
    const xs = active.map((s) => s.ws.f64(s.pQ + 8 * n * j, n));
    const ys = active.map(() => new Float64Array(n));
    op.apply(xs, ys);
    active.forEach((s, a) => step(s, j, ys[a]));
    if (opts.onProgress && (j + 1) % checkEvery === 0) {
      const stop = opts.onProgress(states.map(view), j + 1);
      if (stop === true) break;
      if (Array.isArray(stop)) states.forEach((s, r) => { if (stop[r]) s.stopped = true; });
    }
  }
  return states.map(view);
}

function step(s: RunState, j: number, w: Float64Array): void {
  const { ws, pQ, n } = s;
  const Q = (i: number) => pQ + 8 * n * i;
  const pw = Q(j + 1); // w is built in the slot of q_{j+1}
  const W = ws.f64(pw, n);
  W.set(w);
  const alpha = ws.k.dot(Q(j), pw, n);
  ws.k.axpy(-alpha, Q(j), pw, n);
  if (j > 0) ws.k.axpy(-s.beta[j - 1], Q(j - 1), pw, n);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i <= j; i++) {
      const c = ws.k.dot(Q(i), pw, n);
      ws.k.axpy(-c, Q(i), pw, n);
    }
  }
  const beta = Math.sqrt(ws.k.dot(pw, pw, n));
  s.alpha.push(alpha);
  s.beta.push(beta);
  // An invariant subspace: beta is round-off relative to the scale of T.
  const scale = Math.max(Math.abs(alpha), ...s.alpha.map(Math.abs), 1e-300);
  if (beta <= 1e-12 * scale || j + 1 >= n) {
    s.exhausted = true;
    return;
  }
  ws.k.axpy(1 / beta - 1, pw, pw, n); // scale in place: w <- w / beta
}

function view(s: RunState): LanczosRun {
  const k = s.alpha.length;
  const { ws, pQ, n } = s;
  return {
    norm: s.norm,
    steps: k,
    alpha: Float64Array.from(s.alpha),
    beta: Float64Array.from(s.beta),
    exhausted: s.exhausted && (k > 0 || s.norm === 0),
    projectOnBasis(v) {
      const out = new Float64Array(k);
      for (let i = 0; i < k; i++) {
        const q = ws.f64(pQ + 8 * n * i, n);
        let acc = 0;
        for (let t = 0; t < n; t++) acc += q[t] * v[t];
        out[i] = acc;
      }
      return out;
    },
    combine(c) {
      const out = new Float64Array(n);
      for (let i = 0; i < Math.min(k, c.length); i++) {
        const q = ws.f64(pQ + 8 * n * i, n);
        const ci = c[i];
        for (let t = 0; t < n; t++) out[t] += ci * q[t];
      }
      return out;
    },
  };
}
