import { InvalidOptionError, NonFiniteError, ShapeMismatchError, requireNumber, requirePositiveInt } from '@pikt/core';
import { columns, interleave } from './pi-problem.js';
import type { OutputLoss } from './output-losses.js';
import { denseOperator, type RealArray, requireFinite, type SymmetricOperator } from '@pikt/linalg';

export interface GenericPredictorInput {
  /** Train Gram H [n, n] (row-major) or an operator. */
  gram: RealArray | SymmetricOperator;
  /** The output-space loss L(u) and its gradient, u row-major [n, K]. */
  loss: OutputLoss;
  eta: number;
  outputs?: number;
  /** u(0) (default 0: symmetric init). */
  u0?: RealArray;
  /** H(X*, X) [nTest, n] and f(X*; W(0)) (default 0) to track test predictions too. */
  test?: { gram: RealArray; f0?: RealArray };
}

export interface GenericTrajectory {
  steps: number[];
  /** u(k) at each recorded step, row-major [n, K]. */
  u: Float64Array[];
  /** L(u(k)). */
  loss: number[];
  /** f_k(X*) at each recorded step, when a test block was given. */
  test?: Float64Array[];
}

/**
 * The kernel-regime predictor for any differentiable output-space loss (SCIENCE.md section 4):
 *
 *     u(k+1) = u(k) - eta H grad_u L(u(k)),        f_{k+1}(X*) = f_k(X*) - eta H(X*, X) grad_u L(u(k)),
 *
 * H applied per output column (H (x) I_K). Integrates the recursion step by step in float64 and
 * records the requested steps. With L = 1/2||u - y||^2 + lambda/2||u - z||^2 it reproduces the
 * closed form of `createPiPredictor`; with a temperature-KL term it is the prediction E6 compares
 * with real wide training.
 */
export function predictGeneric(input: GenericPredictorInput, steps: readonly number[]): GenericTrajectory {
  const op = isOperator(input.gram) ? input.gram : denseOperator(input.gram);
  const n = op.n;
  const K = input.outputs ?? 1;
  requirePositiveInt('outputs', K);
  requireNumber('eta', input.eta, { min: 0, minExclusive: true });
  for (const k of steps) if (!Number.isInteger(k) || k < 0) throw new InvalidOptionError('steps', k, 'integers >= 0');
  const u = input.u0 ? Float64Array.from(input.u0 as ArrayLike<number>) : new Float64Array(n * K);
  if (u.length !== n * K) throw new ShapeMismatchError('u0 (row-major [n, outputs])', [n, K], `${u.length} values`);
  requireFinite('u0', u);
  let testGram: Float64Array | null = null;
  let f: Float64Array | null = null;
  let nTest = 0;
  if (input.test) {
    if (input.test.gram.length % n !== 0) throw new ShapeMismatchError('test.gram (row-major [nTest, n])', `a multiple of ${n} values`, `${input.test.gram.length} values`);
    testGram = Float64Array.from(input.test.gram as ArrayLike<number>);
    nTest = testGram.length / n;
    f = input.test.f0 ? Float64Array.from(input.test.f0 as ArrayLike<number>) : new Float64Array(nTest * K);
    if (f.length !== nTest * K) throw new ShapeMismatchError('test.f0', [nTest, K], `${f.length} values`);
  }
  const wanted = new Set(steps);
  const last = steps.reduce((a, b) => Math.max(a, b), 0); // not Math.max(...steps): long lists overflow the call stack
  const out: GenericTrajectory = { steps: [], u: [], loss: [], test: testGram ? [] : undefined };
  const hg = Array.from({ length: K }, () => new Float64Array(n));
  for (let k = 0; k <= last; k++) {
    if (wanted.has(k)) {
      out.steps.push(k);
      out.u.push(Float64Array.from(u));
      out.loss.push(input.loss.value(u));
      if (f) out.test!.push(Float64Array.from(f));
    }
    if (k === last) break;
    const g = input.loss.grad(u);
    if (g.length !== n * K) throw new ShapeMismatchError('loss.grad(u)', [n, K], `${g.length} values`);
    for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) throw new NonFiniteError(`loss gradient at step ${k}`, i, g[i]);
    const gc = columns(g, n, K);
    op.apply(gc, hg);
    const step = interleave(hg);
    for (let i = 0; i < u.length; i++) u[i] -= input.eta * step[i];
    if (f && testGram) {
      for (let q = 0; q < K; q++) {
        for (let i = 0; i < nTest; i++) {
          let acc = 0;
          const row = i * n;
          for (let j = 0; j < n; j++) acc += testGram[row + j] * gc[q][j];
          f[i * K + q] -= input.eta * acc;
        }
      }
    }
  }
  return out;
}

function isOperator(g: RealArray | SymmetricOperator): g is SymmetricOperator {
  return typeof (g as SymmetricOperator).apply === 'function' && typeof (g as SymmetricOperator).n === 'number';
}
