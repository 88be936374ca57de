import type { Rng } from '@pikt/core';

/** The student's parameters as plain arrays: W is [m, d] (row r = w_r), a is [m, K] (row r = a_r). */
export interface StudentArrays {
  W: Float32Array;
  a: Float32Array;
  /** Learned feature projection [m, p] when the student has one: P_rj ~ N(0, 1/p) from `rng.child('P')`. */
  P?: Float32Array;
}

/**
 * Draw W(0) and a for f(x) = (1/sqrt(m)) sum_r a_r relu(w_r . x) (SCIENCE.md section 1):
 * w_r ~ N(0, kappa^2 I_d) from `rng.child('W')`, a_r in {-1, +1}^K uniformly from `rng.child('a')`.
 * With `symmetric`, only the first half is drawn and neuron r + m/2 is (w_r, -a_r), so
 * f(.; W(0)) = 0 exactly. Plain JS arrays, so the draw is the same on every backend.
 */
export function drawStudentArrays(rng: Rng, m: number, d: number, k: number, kappa: number, symmetric: boolean, projectionDim = 0): StudentArrays {
  const drawn = symmetric ? m / 2 : m;
  const W = new Float32Array(m * d);
  rng.child('W').fillNormal(W.subarray(0, drawn * d), 0, kappa);
  const a = new Float32Array(m * k);
  const signs = rng.child('a');
  for (let i = 0; i < drawn * k; i++) a[i] = (signs.nextUint32() & 1) === 1 ? 1 : -1;
  if (symmetric) {
    W.copyWithin(drawn * d, 0, drawn * d);
    for (let i = 0; i < drawn * k; i++) a[drawn * k + i] = -a[i];
  }
  if (projectionDim <= 0) return { W, a };
  // N(0, 1/p) entries preserve squared norms in expectation (Johnson-Lindenstrauss scaling).
  const P = rng.child('P').fillNormal(new Float32Array(m * projectionDim), 0, 1 / Math.sqrt(projectionDim));
  return { W, a, P };
}
