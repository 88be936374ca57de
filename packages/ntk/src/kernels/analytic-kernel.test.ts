import { createRng, InvalidOptionError, OutOfMemoryBudgetError } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NtkWarning } from '../warnings.js';
import { arcCosineKernel, hinf, twoLayerNtk } from './analytic-kernel.js';

const d = 4;
// Points with norms 1, 1, 2.5, 0.3, 1 and a nearly opposite pair; rows of a [5, 4] array.
const points = Float64Array.from([
  1, 0, 0, 0,
  0.6, 0.8, 0, 0,
  -1.5, 0.5, 1.8, -0.4,
  0.1, -0.2, 0.1, 0.2,
  -0.98, -0.02, 0.1, Math.sqrt(1 - 0.98 ** 2 - 0.02 ** 2 - 0.01),
]);
const P = points.length / d;
const quiet = (): void => {};

/**
 * Monte-Carlo estimates over w ~ N(0, kappa^2 I) with 10^6 draws, one pass over the draws for all
 * pairs: E[x.x' 1{w.x >= 0} 1{w.x' >= 0}] and E[relu(w.x) relu(w.x')], with standard errors.
 */
function monteCarlo(draws: number, kappa: number) {
  const rng = createRng(2024);
  const proj = new Float64Array(P);
  const sum1 = new Float64Array(P * P);
  const sum2 = new Float64Array(P * P), sq2 = new Float64Array(P * P);
  const w = new Float64Array(d);
  for (let t = 0; t < draws; t++) {
    rng.fillNormal(w, 0, kappa);
    for (let p = 0; p < P; p++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += w[j] * points[p * d + j];
      proj[p] = s;
    }
    for (let a = 0; a < P; a++) {
      if (proj[a] < 0) continue; // both terms vanish unless w.x_a >= 0
      for (let b = 0; b <= a; b++) {
        if (proj[b] < 0) continue;
        sum1[a * P + b] += 1;
        const r = proj[a] * proj[b];
        sum2[a * P + b] += r;
        sq2[a * P + b] += r * r;
      }
    }
  }
  return { sum1, sum2, sq2 };
}

describe('analytic infinite-width kernels', () => {
  const draws = 1_000_000;
  const kappa = 1.7;
  let mc: ReturnType<typeof monteCarlo>;
  beforeAll(() => {
    mc = monteCarlo(draws, kappa);
  });

  it('Hinf matches a 10^6-draw Monte-Carlo average within 3 standard errors on every pair, non-unit inputs included', () => {
    const H = hinf(points, null, { inputDim: d, onWarning: quiet }).data;
    for (let a = 0; a < P; a++) {
      for (let b = 0; b <= a; b++) {
        let g = 0;
        for (let j = 0; j < d; j++) g += points[a * d + j] * points[b * d + j];
        const p = mc.sum1[a * P + b] / draws; // P(both active)
        const est = g * p;
        const se = Math.abs(g) * Math.sqrt((p * (1 - p)) / draws);
        expect(Math.abs(H[a * P + b] - est)).toBeLessThanOrEqual(3 * se + 1e-15);
        expect(H[a * P + b]).toBe(H[b * P + a]);
      }
    }
  });

  it('the arc-cosine (second-layer) term matches the Monte-Carlo average within 3 standard errors', () => {
    const K1 = arcCosineKernel(points, null, { inputDim: d, kappa, onWarning: quiet }).data;
    for (let a = 0; a < P; a++) {
      for (let b = 0; b <= a; b++) {
        const mean = mc.sum2[a * P + b] / draws;
        const se = Math.sqrt((mc.sq2[a * P + b] / draws - mean * mean) / draws);
        expect(Math.abs(K1[a * P + b] - mean)).toBeLessThanOrEqual(3 * se);
      }
    }
  });

  it('diagonal of Hinf equals ||x||^2 / 2 exactly; the both-layers NTK adds kappa^2 ||x||^2 / 2', () => {
    const H = hinf(points, null, { inputDim: d, onWarning: quiet }).data;
    const T = twoLayerNtk(points, null, { inputDim: d, trainLayers: 'both', kappa, onWarning: quiet }).data;
    for (let a = 0; a < P; a++) {
      let n2 = 0;
      for (let j = 0; j < d; j++) n2 += points[a * d + j] ** 2;
      expect(H[a * P + a]).toBe(n2 / 2);
      expect(T[a * P + a]).toBeCloseTo(n2 / 2 + (kappa * kappa * n2) / 2, 12);
    }
  });

  it('test-train blocks equal the corresponding rows of the joint Gram', () => {
    const train = points.subarray(0, 3 * d);
    const test = points.subarray(3 * d);
    const joint = twoLayerNtk(points, null, { inputDim: d, trainLayers: 'both', onWarning: quiet }).data;
    const cross = twoLayerNtk(test, train, { inputDim: d, trainLayers: 'both', onWarning: quiet });
    expect([cross.rows, cross.cols]).toEqual([2, 3]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(cross.data[i * 3 + j]).toBeCloseTo(joint[(3 + i) * P + j], 14);
  });

  it('warns with the measured norms when inputs are not unit-norm, and not otherwise', () => {
    const seen: NtkWarning[] = [];
    hinf(points, null, { inputDim: d, onWarning: (w) => seen.push(w) });
    expect(seen).toHaveLength(1);
    expect(seen[0].code).toBe('PIKT_NTK_NOT_UNIT_NORM');
    expect(seen[0].details.offUnit).toBe(2);
    expect(seen[0].details.maxNorm).toBeCloseTo(Math.sqrt(1.5 ** 2 + 0.25 + 1.8 ** 2 + 0.16), 12);
    expect(seen[0].message).toMatch(/2 of 5 rows are not unit-norm/);
    const unit = Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0]);
    hinf(unit, null, { inputDim: d, onWarning: (w) => seen.push(w) });
    expect(seen).toHaveLength(1);
  });

  it('refuses bad shapes, options and over-budget sizes', () => {
    expect(() => hinf([1, 2, 3], null, { inputDim: 2 })).toThrow(/multiple of 2/);
    expect(() => twoLayerNtk(points, null, { inputDim: d, kappa: -1, onWarning: quiet })).toThrow(InvalidOptionError);
    expect(() => twoLayerNtk(points, null, { inputDim: d, trainLayers: 'all' as 'both' })).toThrow(/trainLayers/);
    expect(() => hinf(new Float64Array(400 * d), null, { inputDim: d, memoryBudgetBytes: 1e5, onWarning: quiet })).toThrow(OutOfMemoryBudgetError);
  });
});

describe('Hinf on the f64x2 tile Gram and worker threads', () => {
  /** Naive float64 reference: plain dot products, acos, the closed form. */
  function naiveHinf(x: Float64Array, n: number, dd: number): Float64Array {
    const out = new Float64Array(n * n);
    const nrm = Float64Array.from({ length: n }, (_, i) => Math.sqrt(x.subarray(i * dd, (i + 1) * dd).reduce((s, v) => s + v * v, 0)));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let g = 0;
        for (let k = 0; k < dd; k++) g += x[i * dd + k] * x[j * dd + k];
        const c = Math.min(1, Math.max(-1, g / (nrm[i] * nrm[j])));
        out[i * n + j] = i === j ? (nrm[i] * nrm[i]) / 2 : (g * (Math.PI - Math.acos(c))) / (2 * Math.PI);
      }
    }
    return out;
  }

  it('n = 301, d = 97 (neither a multiple of the tile): within 1e-12 relative of a naive float64 reference, same bits on 1 and 2 threads', () => {
    const n = 301, dd = 97;
    const x = createRng(17).fillNormal(new Float64Array(n * dd)).map((v) => Math.abs(v)); // MNIST-like: non-negative, angles < pi/2
    const ref = naiveHinf(x, n, dd);
    const one = hinf(x, null, { inputDim: dd, threads: 1, onWarning: quiet }).data;
    const two = hinf(x, null, { inputDim: dd, threads: 2, onWarning: quiet }).data;
    expect(Array.from(two)).toEqual(Array.from(one));
    for (let k = 0; k < ref.length; k++) expect(Math.abs(one[k] - ref[k])).toBeLessThanOrEqual(1e-12 * Math.abs(ref[k]));
    const test = hinf(x.subarray(0, 40 * dd), x, { inputDim: dd, threads: 2, onWarning: quiet }).data;
    // Off the shared points: a test-train block does not know that x_i is x_j, and acos(1 - e) ~ sqrt(2e).
    for (let i = 0; i < 40; i++) for (let j = 0; j < n; j++) if (i !== j) expect(Math.abs(test[i * n + j] - ref[i * n + j])).toBeLessThanOrEqual(1e-12 * Math.abs(ref[i * n + j]));
    expect(() => hinf(x, null, { inputDim: dd, threads: 0, onWarning: quiet })).toThrow(/threads/);
  });
});
