import { InvalidOptionError } from '@pikt/core';
import type { SymmetricOperator } from '../operators/symmetric-operator.js';

export interface CgOptions {
  /** Stop when ||r_k|| <= tol ||b|| (default 1e-8). */
  tol?: number;
  /** Most iterations (default n). */
  maxIterations?: number;
  /** Solve (A + jitter I) x = b instead (default 0); reported back. */
  jitter?: number;
  /** Iterations summed by the error estimate (default 10). */
  delay?: number;
}

/** One solve A x = b and the quadratic form b^T A^-1 b it estimates. */
export interface CgResult {
  x: Float64Array;
  iterations: number;
  /** ||r_k|| / ||b||. */
  relativeResidual: number;
  converged: boolean;
  /** b^T x_k, a lower bound of b^T (A + jitter I)^-1 b that increases with k. */
  quadratic: number;
  /**
   * sum of gamma_j ||r_j||^2 over the last `delay` iterations: what they added to b^T x_k. By the
   * Hestenes-Stiefel identity ||x - x_k||_A^2 = b^T A^-1 b - b^T x_k = sum_{j >= k} gamma_j ||r_j||^2, so
   * under steady convergence the remaining error is of this size (Strakos & Tichy 2002).
   */
  errorEstimate: number;
  jitter: number;
}

/**
 * Conjugate gradients (Hestenes & Stiefel 1952) for several right-hand sides at once, x_0 = 0,
 * the products batched through the operator so the matrix is streamed once per iteration.
 */
export function conjugateGradient(op: SymmetricOperator, bs: readonly Float64Array[], opts: CgOptions = {}): CgResult[] {
  const n = op.n;
  const tol = opts.tol ?? 1e-8;
  const maxIt = opts.maxIterations ?? n;
  const jitter = opts.jitter ?? 0;
  const delay = opts.delay ?? 10;
  if (!(tol > 0)) throw new InvalidOptionError('tol', tol, 'a number > 0');
  if (!Number.isInteger(maxIt) || maxIt < 0) throw new InvalidOptionError('maxIterations', maxIt, 'an integer >= 0');
  if (!(jitter >= 0 && Number.isFinite(jitter))) throw new InvalidOptionError('jitter', jitter, 'a finite number >= 0');
  const st = bs.map((b) => {
    if (b.length !== n) throw new InvalidOptionError('CG right-hand side', `${b.length} values`, `${n} values`);
    const r = Float64Array.from(b);
    const rr = dot(r, r);
    return { x: new Float64Array(n), r, p: Float64Array.from(b), rr, bnorm: Math.sqrt(rr), it: 0, done: rr === 0, terms: [] as number[], quad: 0 };
  });
  for (let it = 0; it < maxIt; it++) {
    const active = st.filter((s) => !s.done);
    if (active.length === 0) break;
    const aps = active.map(() => new Float64Array(n));
    op.apply(active.map((s) => s.p), aps);
    active.forEach((s, a) => {
      const ap = aps[a];
      if (jitter > 0) for (let i = 0; i < n; i++) ap[i] += jitter * s.p[i];
      const pap = dot(s.p, ap);
      if (!(pap > 0)) {
        s.done = true; // A is not positive definite along p: stop with what we have
        return;
      }
      const gamma = s.rr / pap;
      for (let i = 0; i < n; i++) {
        s.x[i] += gamma * s.p[i];
        s.r[i] -= gamma * ap[i];
      }
      s.terms.push(gamma * s.rr);
      s.quad += gamma * s.rr;
      const rrNew = dot(s.r, s.r);
      const beta = rrNew / s.rr;
      s.rr = rrNew;
      for (let i = 0; i < n; i++) s.p[i] = s.r[i] + beta * s.p[i];
      s.it += 1;
      if (Math.sqrt(rrNew) <= tol * s.bnorm) s.done = true;
    });
  }
  return st.map((s) => ({
    x: s.x,
    iterations: s.it,
    relativeResidual: s.bnorm === 0 ? 0 : Math.sqrt(s.rr) / s.bnorm,
    converged: s.bnorm === 0 || Math.sqrt(s.rr) <= tol * s.bnorm,
    quadratic: s.quad,
    errorEstimate: s.terms.slice(-delay).reduce((a, v) => a + v, 0),
    jitter,
  }));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
