/**
 * Exact float64 gradient descent on a linearized model f(x; W) = f0(x) + J(x) (W - W0), the ground
 * truth the kernel-regime predictor is checked against (test helper, not exported): with
 * u = u0 + J Delta and L = 1/2||u - y||^2 + lambda/2||u - z||^2,
 *
 *     Delta <- Delta - eta J^T ((u - y) + lambda (u - z)).
 */
export interface LinearizedModel {
  n: number;
  /** Parameter count. */
  p: number;
  K: number;
  nTest: number;
  /** Training Jacobian [n, p] (shared by the K outputs: H (x) I_K). */
  J: Float64Array;
  /** Test Jacobian [nTest, p]. */
  Jt: Float64Array;
  y: Float64Array;
  z: Float64Array;
  u0: Float64Array;
  f0: Float64Array;
  yTest: Float64Array;
}

export interface Simulation {
  u: Float64Array[];
  fTest: Float64Array[];
  labelLoss: number[];
  piLoss: number[];
  testLoss: number[];
  /** ||W(k) - W(0)||_F. */
  weightDistance: number[];
}

export function simulateLinearizedGd(m: LinearizedModel, o: { lambda: number; eta: number; steps: number[] }): Simulation {
  const { n, p, K, nTest, J, Jt } = m;
  const delta = new Float64Array(p * K);
  const u = new Float64Array(n * K);
  const grad = new Float64Array(n * K);
  const out: Simulation = { u: [], fTest: [], labelLoss: [], piLoss: [], testLoss: [], weightDistance: [] };
  const last = Math.max(...o.steps);
  for (let k = 0; k <= last; k++) {
    for (let i = 0; i < n; i++) {
      for (let q = 0; q < K; q++) {
        let s = m.u0[i * K + q];
        for (let a = 0; a < p; a++) s += J[i * p + a] * delta[a * K + q];
        u[i * K + q] = s;
      }
    }
    if (o.steps.includes(k)) {
      const f = new Float64Array(nTest * K);
      for (let i = 0; i < nTest; i++) {
        for (let q = 0; q < K; q++) {
          let s = m.f0[i * K + q];
          for (let a = 0; a < p; a++) s += Jt[i * p + a] * delta[a * K + q];
          f[i * K + q] = s;
        }
      }
      out.u.push(Float64Array.from(u));
      out.fTest.push(f);
      out.labelLoss.push(0.5 * u.reduce((acc, v, i) => acc + (v - m.y[i]) ** 2, 0));
      out.piLoss.push(0.5 * o.lambda * u.reduce((acc, v, i) => acc + (v - m.z[i]) ** 2, 0));
      out.testLoss.push(0.5 * f.reduce((acc, v, i) => acc + (v - m.yTest[i]) ** 2, 0));
      out.weightDistance.push(Math.sqrt(delta.reduce((acc, v) => acc + v * v, 0)));
    }
    if (k === last) break;
    for (let i = 0; i < n * K; i++) grad[i] = u[i] - m.y[i] + o.lambda * (u[i] - m.z[i]);
    for (let a = 0; a < p; a++) {
      for (let q = 0; q < K; q++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += J[i * p + a] * grad[i * K + q];
        delta[a * K + q] -= o.eta * s;
      }
    }
  }
  return out;
}
