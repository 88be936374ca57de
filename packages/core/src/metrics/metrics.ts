/**
 * The numbers pikt reports about outputs u (row-major [n, K]) against targets y of the same layout,
 * in float64, shared by what is measured (the trainer's evaluations, the teacher) and what is
 * predicted (the kernel-regime predictor), so the two are computed by the same rule.
 *
 * One tie rule for classes: the predicted class of a row is its argmax, ties going to the LOWEST
 * class index. K = 1 is the two-class case with classes ordered (-1, +1) and scores (0, u): the
 * class is +1 when u > 0 and -1 when u <= 0, so an output of exactly 0 (every output of a student
 * at symmetric initialization) counts as class -1, for measured and predicted numbers alike.
 */

/** Class of row i: argmax_j u[i K + j] with the lowest index on ties; for K = 1, +1 if u_i > 0 else -1. */
export function predictedClass(u: ArrayLike<number>, i: number, K: number): number {
  if (K === 1) return u[i] > 0 ? 1 : -1;
  let best = 0;
  for (let j = 1; j < K; j++) if (u[i * K + j] > u[i * K + best]) best = j;
  return best;
}

/**
 * Fraction of rows whose predicted class equals the target's class (the same rule applied to the
 * target row: one-hot or centered one-hot targets for K > 1). For K = 1 the targets must be labels
 * in {-1, +1}; otherwise (regression targets), and for n = 0, there is no accuracy: undefined.
 */
export function accuracy(u: ArrayLike<number>, y: ArrayLike<number>, K: number): number | undefined {
  const n = u.length / K;
  if (n === 0 || u.length !== y.length) return undefined;
  if (K === 1) for (let i = 0; i < n; i++) if (y[i] !== 1 && y[i] !== -1) return undefined;
  let correct = 0;
  for (let i = 0; i < n; i++) if (predictedClass(u, i, K) === predictedClass(y, i, K)) correct += 1;
  return correct / n;
}

/** sum_i (a_i - b_i)^2, accumulated in float64. */
function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i] - b[i]; s += d * d; }
  return s;
}

/** ||a - b||_2 over all entries (the Frobenius norm for matrices), accumulated in float64. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.sqrt(squaredDistance(a, b));
}

/** max_i |a_i| (0 for an empty array). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** max_i |a_i - b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The squared loss 1/2 ||u - y||^2 (the label term of SCIENCE.md's objective). */
export function squaredError(u: ArrayLike<number>, y: ArrayLike<number>): number {
  return 0.5 * squaredDistance(u, y);
}

/** mean (u_i - y_i)^2 over all entries (0 for none). */
export function meanSquaredError(u: ArrayLike<number>, y: ArrayLike<number>): number {
  return u.length ? squaredDistance(u, y) / u.length : 0;
}
