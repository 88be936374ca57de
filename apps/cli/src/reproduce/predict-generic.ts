/**
 * The function-space predictor of SCIENCE.md section 4 for a regularizer without a closed form: in
 * the kernel regime full-batch GD on L(u) moves the outputs as
 *
 *     u(k+1) = u(k) - eta H grad_u L(u(k)),     f_{k+1}(X*) = f_k(X*) - eta H(X*, X) grad_u L(u(k)),
 *
 * integrated here step by step in float64 (one output). `grad` is grad_u L at the current outputs.
 */
export function integrateOutputs(input: {
  H: Float64Array; n: number; hTest: Float64Array; nTest: number; eta: number; steps: number;
  grad: (u: Float64Array) => Float64Array;
}): { trajectory: Float64Array[]; test: Float64Array[] } {
  const { H, n, hTest, nTest, eta, steps } = input;
  let u = new Float64Array(n);
  let f = new Float64Array(nTest);
  const trajectory = [Float64Array.from(u)];
  const test = [Float64Array.from(f)];
  for (let k = 0; k < steps; k++) {
    const g = input.grad(u);
    const next = Float64Array.from(u);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += H[i * n + j] * g[j];
      next[i] -= eta * acc;
    }
    const nextF = Float64Array.from(f);
    for (let i = 0; i < nTest; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += hTest[i * n + j] * g[j];
      nextF[i] -= eta * acc;
    }
    u = next;
    f = nextF;
    trajectory.push(Float64Array.from(u));
    test.push(Float64Array.from(f));
  }
  return { trajectory, test };
}

/**
 * Gradient in u of Hinton's KL term w T^2 KL(sigmoid(z/T) || sigmoid(u/T)) for one output
 * (@pikt/regularizers' hintonKl with K = 1): w T (sigmoid(u/T) - sigmoid(z/T)).
 */
export function klGradient(u: number, z: number, weight: number, T: number): number {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  return weight * T * (sig(u / T) - sig(z / T));
}
