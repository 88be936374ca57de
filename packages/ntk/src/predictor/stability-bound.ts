import { InvalidOptionError, requireNumber } from '@pikt/core';
import { eigvalsh, largestEigenvalue, type RealArray, type SymmetricOperator } from '@pikt/linalg';

/**
 * The learning-rate bound of full-batch GD on L = 1/2 ||u - y||^2 + lambda/2 ||u - z||^2 in the
 * kernel regime (SCIENCE.md P3):
 *
 *     eta < eta_max = 2 / ((1 + lambda) mu_max),   mu_max the largest eigenvalue of the Gram H,
 *
 * without building a predictor. A dense Gram (row-major n x n) gets its exact mu_max from the
 * eigenvalues (O(n^3)); a `SymmetricOperator` (a block Gram too large to hold) gets the Lanczos
 * estimate plus its residual bound, so mu_max is an upper bound and eta_max a safe one. Pass
 * `muMax` and `lambda` on to the trainer's `settings.stability`.
 */
export function stabilityBound(gram: RealArray | SymmetricOperator, lambda = 0): { muMax: number; etaMax: number; method: 'dense' | 'lanczos' } {
  requireNumber('lambda', lambda, { min: 0 });
  let muMax: number;
  let method: 'dense' | 'lanczos';
  if (typeof (gram as SymmetricOperator).apply === 'function' && typeof (gram as SymmetricOperator).n === 'number') {
    const top = largestEigenvalue(gram as SymmetricOperator, { steps: 40 });
    muMax = top.value + top.residual;
    method = 'lanczos';
  } else {
    const a = gram as RealArray;
    const n = Math.round(Math.sqrt(a.length));
    if (n < 1 || n * n !== a.length) throw new InvalidOptionError('gram', `${a.length} values`, 'a row-major n x n Gram matrix (length n^2) or a SymmetricOperator');
    muMax = eigvalsh(a)[0];
    method = 'dense';
  }
  return { muMax, etaMax: muMax > 0 ? 2 / ((1 + lambda) * muMax) : Infinity, method };
}
