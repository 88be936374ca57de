import { createRng } from '@pikt/core';

/**
 * Test fixtures shared by the package's tests (deterministic in the seed): unit-norm point clouds
 * and sign labels (matrices with a known spectrum come from @pikt/linalg). Not exported from the package.
 */

/** n points on the unit sphere in R^d, row-major, plus a cluster structure so the Gram is not trivial. */
export function unitPoints(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centers = rng.child('centers').fillNormal(new Float64Array(3 * d));
  const x = new Float64Array(n * d);
  const noise = rng.child('noise');
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = centers[c * d + j] + 1.5 * noise.normal();
      x[i * d + j] = v;
      s += v * v;
    }
    const norm = Math.sqrt(s);
    for (let j = 0; j < d; j++) x[i * d + j] /= norm;
  }
  return x;
}

/** Labels in {-1, +1} from a fixed random direction. */
export function signLabels(x: Float64Array, d: number, seed: number): Float64Array {
  const w = createRng(seed).fillNormal(new Float64Array(d));
  const n = x.length / d;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += w[j] * x[i * d + j];
    return s >= 0 ? 1 : -1;
  });
}
