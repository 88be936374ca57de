/**
 * Eigendecomposition of a real symmetric matrix in float64: A = V diag(lambda) V^T.
 *
 * Two classical stages (Golub & Van Loan, Matrix Computations, 4th ed., sections 8.3.1 and 8.3.3):
 * 1. Householder tridiagonalization: for k = 0..n-3, a reflector P_k = I - 2 v v^T (||v|| = 1) zeroes
 *    column k below the subdiagonal; with p = A v, K = v^T p, q = p - K v the update is
 *    A <- P A P = A - 2 (v q^T + q v^T). The reflectors accumulate into Q with A = Q T Q^T.
 * 2. Implicit symmetric QR steps with a Wilkinson shift on the tridiagonal T, chasing the bulge with
 *    Givens rotations and deflating when |e_i| <= eps (|d_i| + |d_i+1|); each rotation is also applied
 *    to Q, whose columns end up as the eigenvectors.
 * Cost about 9 n^3 flops; backward stable (the computed pairs are exact for A + E, ||E|| ~ eps ||A||).
 */
export interface SymmetricEigen {
  /** Eigenvalues, sorted descending. */
  values: Float64Array;
  /** Eigenvectors as rows, row-major [n, n]: row i pairs with values[i]. */
  vectors: Float64Array;
}

/** Decomposes the symmetric n x n row-major matrix `a` (only read, never modified). */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (a.length !== n * n) throw new RangeError(`symmetricEigen: expected ${n * n} entries for a ${n} x ${n} matrix, got ${a.length}.`);
  const A = Float64Array.from(a);
  // Qt holds Q^T: rotations and reflections then touch contiguous rows.
  const Qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Qt[i * n + i] = 1;
  tridiagonalize(A, Qt, n);
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  for (let i = 0; i < n; i++) d[i] = A[i * n + i];
  for (let i = 0; i + 1 < n; i++) e[i] = A[(i + 1) * n + i];
  tridiagonalQr(d, e, Qt, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => d[q] - d[p]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = d[src];
    vectors.set(Qt.subarray(src * n, (src + 1) * n), dst * n);
  });
  return { values, vectors };
}

function tridiagonalize(A: Float64Array, Qt: Float64Array, n: number): void {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const s = k + 1; // the reflector acts on indices s..n-1
    const x0 = A[s * n + k];
    let tail2 = 0;
    for (let i = s + 1; i < n; i++) tail2 += A[i * n + k] * A[i * n + k];
    if (tail2 === 0) continue; // column k is already tridiagonal
    const norm2 = x0 * x0 + tail2;
    const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    // v = (x - alpha e1) / ||x - alpha e1||
    v[s] = x0 - alpha;
    for (let i = s + 1; i < n; i++) v[i] = A[i * n + k];
    const vnorm = Math.sqrt(v[s] * v[s] + tail2);
    for (let i = s; i < n; i++) v[i] /= vnorm;
    // p = A22 v, K = v^T p, q = p - K v (stored in p)
    let K = 0;
    for (let i = s; i < n; i++) {
      let acc = 0;
      const row = i * n;
      for (let j = s; j < n; j++) acc += A[row + j] * v[j];
      p[i] = acc;
      K += v[i] * acc;
    }
    for (let i = s; i < n; i++) p[i] -= K * v[i];
    for (let i = s; i < n; i++) {
      const row = i * n;
      const vi = 2 * v[i];
      const qi = 2 * p[i];
      for (let j = s; j < n; j++) A[row + j] -= vi * p[j] + qi * v[j];
    }
    // Column k (and row k) becomes (alpha, 0, ..., 0) below the diagonal.
    A[s * n + k] = alpha;
    A[k * n + s] = alpha;
    for (let i = s + 1; i < n; i++) { A[i * n + k] = 0; A[k * n + i] = 0; }
    // Q <- Q P  <=>  Qt <- P Qt: rows s..n-1 of Qt lose 2 v (v^T Qt).
    const w = p.fill(0);
    for (let i = s; i < n; i++) {
      const vi = v[i];
      if (vi === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) w[j] += vi * Qt[row + j];
    }
    for (let i = s; i < n; i++) {
      const vi = 2 * v[i];
      if (vi === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) Qt[row + j] -= vi * w[j];
    }
  }
}

function tridiagonalQr(d: Float64Array, e: Float64Array, Qt: Float64Array, n: number): void {
  const eps = Number.EPSILON;
  let iterations = 0;
  const maxIterations = 60 * Math.max(n, 1);
  let m = n - 1;
  while (m > 0) {
    if (Math.abs(e[m - 1]) <= eps * (Math.abs(d[m - 1]) + Math.abs(d[m]))) {
      e[m - 1] = 0;
      m -= 1;
      continue;
    }
    let l = m - 1;
    while (l > 0 && Math.abs(e[l - 1]) > eps * (Math.abs(d[l - 1]) + Math.abs(d[l]))) l -= 1;
    if (++iterations > maxIterations) throw new Error(`symmetricEigen: QR iteration did not converge in ${maxIterations} steps (non-finite input?).`);
    // Wilkinson shift: the eigenvalue of the trailing 2x2 block closer to d[m].
    const delta = (d[m - 1] - d[m]) / 2;
    const b2 = e[m - 1] * e[m - 1];
    const mu = d[m] - b2 / (delta + (delta >= 0 ? 1 : -1) * Math.hypot(delta, e[m - 1]));
    let x = d[l] - mu;
    let z = e[l];
    let bulge = 0;
    for (let k = l; k < m; k++) {
      // Rotation G = [[c, s], [-s, c]] with G^T (x, z) = (r, 0).
      const r = Math.hypot(x, z);
      const c = r === 0 ? 1 : x / r;
      const s = r === 0 ? 0 : -z / r;
      if (k > l) e[k - 1] = r;
      const a = d[k];
      const b = e[k];
      const cc = d[k + 1];
      d[k] = c * c * a - 2 * c * s * b + s * s * cc;
      d[k + 1] = s * s * a + 2 * c * s * b + c * c * cc;
      e[k] = c * s * (a - cc) + (c * c - s * s) * b;
      if (k + 1 < m) {
        bulge = -s * e[k + 1];
        e[k + 1] *= c;
        x = e[k];
        z = bulge;
      }
      const rk = k * n;
      const rk1 = (k + 1) * n;
      for (let j = 0; j < n; j++) {
        const qk = Qt[rk + j];
        const qk1 = Qt[rk1 + j];
        Qt[rk + j] = c * qk - s * qk1;
        Qt[rk1 + j] = s * qk + c * qk1;
      }
    }
  }
}
