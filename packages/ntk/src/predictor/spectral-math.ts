import type { SpectralMeasure } from '@pikt/linalg';

export type { SpectralMeasure };
/**
 * Scalar functions of the GD iteration matrix I - s H on one eigenvalue mu (s = eta (1 + lambda)),
 * and searches over spectral sums. Shared by the dense and the Lanczos predictors.
 */

/** Hard cap of the iteration search (SCIENCE.md P6: null when not reached in 10^9 steps). */
export const MAX_ITERATIONS = 1e9;

/** rho^k for rho = 1 - s mu, stable for huge k and rho near 1 (k integer >= 0). */
export function powRho(s: number, mu: number, k: number): number {
  if (k === 0) return 1;
  const rho = 1 - s * mu;
  if (rho === 0) return 0;
  if (Math.abs(s * mu) < 0.5) {
    // log(1 - x) by log1p keeps rho^k accurate when s mu is tiny and k is huge.
    const v = Math.exp(k * Math.log1p(-s * mu));
    return rho < 0 && k % 2 === 1 ? -v : v;
  }
  return Math.pow(rho, k);
}

/**
 * phi_k(mu) = (1 - (1 - s mu)^k) / mu, the filter of k GD steps on an eigen-direction
 * (u(k) - u0 = H phi_k(H) (ybar - u0)); tends to s k as mu -> 0, so finite-k predictions need no
 * inverse and no jitter. k = Infinity gives 1/mu (for mu > 0, stable s).
 */
export function phiK(s: number, mu: number, k: number): number {
  if (k === Infinity) return 1 / mu;
  if (k === 0) return 0;
  if (mu === 0) return s * k;
  const x = s * mu;
  if (Math.abs(x) < 0.5) return -Math.expm1(k * Math.log1p(-x)) / mu;
  return (1 - Math.pow(1 - x, k)) / mu;
}


/** sum over measures of sum_j w_j rho_j^(2k). */
export function residualEnergy(measures: readonly SpectralMeasure[], s: number, k: number): number {
  let total = 0;
  for (const m of measures) {
    for (let j = 0; j < m.nodes.length; j++) {
      const w = m.weights[j];
      if (w === 0) continue;
      const r = powRho(s, m.nodes[j], k);
      total += w * r * r;
    }
  }
  return total;
}

/**
 * Least integer k in [0, 10^9] with E(k) = sum_j w_j (1 - s mu_j)^(2k) <= target, or null.
 * E is a sum of exponentials in k, hence convex: non-increasing when every |1 - s mu_j| <= 1
 * (bisection on [0, 10^9]), otherwise decreasing then increasing (an integer ternary search finds
 * the minimum first, then bisection on the decreasing side). O(log 10^9) evaluations, never 10^9 steps.
 */
export function leastIterations(measures: readonly SpectralMeasure[], s: number, target: number): number | null {
  const E = (k: number): number => residualEnergy(measures, s, k);
  if (E(0) <= target) return 0;
  let hi = MAX_ITERATIONS;
  let growing = false;
  for (const m of measures) {
    for (let j = 0; j < m.nodes.length; j++) if (m.weights[j] > 0 && Math.abs(1 - s * m.nodes[j]) > 1) growing = true;
  }
  if (growing) {
    let a = 0;
    let b = MAX_ITERATIONS;
    while (b - a > 2) {
      const m1 = a + Math.floor((b - a) / 3);
      const m2 = b - Math.floor((b - a) / 3);
      if (E(m1) <= E(m2)) b = m2;
      else a = m1;
    }
    let best = a;
    for (let k = a + 1; k <= b; k++) if (E(k) < E(best)) best = k;
    hi = best;
  }
  if (E(hi) > target) return null;
  let lo = 0; // E(lo) > target
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (E(mid) <= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
