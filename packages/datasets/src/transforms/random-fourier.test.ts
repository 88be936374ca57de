import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { randomFourierFeatures } from './random-fourier.js';

const m = 16;
const d = 5;
const x = createRng(1).fillNormal(new Float64Array(m * d), 0, 0.6);
const sigma = 1.3;

function kernel(i: number, j: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += (x[i * d + t] - x[j * d + t]) ** 2;
  return Math.exp(-s / (2 * sigma * sigma));
}

/** Mean squared error of z(x_i) . z(x_j) against k(x_i, x_j) over all pairs i <= j and `seeds` draws, and its prediction. */
function mse(D: number, seeds: number): { measured: number; predicted: number } {
  let err = 0;
  let pred = 0;
  let count = 0;
  for (let s = 0; s < seeds; s++) {
    const z = randomFourierFeatures({ features: D, bandwidth: sigma, seed: s }).fit({ x, n: m, d }).apply({ x, n: m, d }).x;
    for (let i = 0; i < m; i++) for (let j = i; j < m; j++) {
      let dot = 0;
      for (let l = 0; l < D; l++) dot += z[i * D + l] * z[j * D + l];
      const k = kernel(i, j);
      err += (dot - k) ** 2;
      pred += (1 - k * k + k ** 4 / 2) / D; // variance of the D-term average
      count += 1;
    }
  }
  return { measured: err / count, predicted: pred / count };
}

describe('randomFourierFeatures', () => {
  it('z(x) . z(y) estimates the Gaussian kernel with RMS error sqrt((1 - k^2 + k^4/2) / D), i.e. falling like 1/sqrt(D)', () => {
    const Ds = [16, 64, 256, 1024];
    const results = Ds.map((D) => mse(D, 12));
    for (const r of results) expect(r.measured / r.predicted).toBeGreaterThan(0.75);
    for (const r of results) expect(r.measured / r.predicted).toBeLessThan(1.33);
    // Least-squares slope of log RMS error against log D: -1/2 for Monte Carlo.
    const lx = Ds.map(Math.log);
    const ly = results.map((r) => 0.5 * Math.log(r.measured));
    const mx = lx.reduce((a, b) => a + b) / lx.length;
    const my = ly.reduce((a, b) => a + b) / ly.length;
    const slope = lx.reduce((s, v, i) => s + (v - mx) * (ly[i] - my), 0) / lx.reduce((s, v) => s + (v - mx) ** 2, 0);
    expect(slope).toBeGreaterThan(-0.6);
    expect(slope).toBeLessThan(-0.4);
  });

  it('is deterministic in the seed and draws W ~ N(0, 1/sigma^2), b ~ U[0, 2 pi)', () => {
    const a = randomFourierFeatures({ features: 2000, bandwidth: 2, seed: 'w' }).fit({ x, n: m, d });
    const b = randomFourierFeatures({ features: 2000, bandwidth: 2, seed: 'w' }).fit({ x, n: m, d });
    expect(a.apply({ x, n: m, d }).x).toEqual(b.apply({ x, n: m, d }).x);
    const { w, b: phase } = a.state()!;
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeGreaterThan(0.25 * 0.95);
    expect(variance).toBeLessThan(0.25 * 1.05);
    expect(phase.every((v) => v >= 0 && v < 2 * Math.PI)).toBe(true);
  });

  it("bandwidth 'median' uses the median pairwise distance of the training rows", () => {
    const t = randomFourierFeatures({ features: 4, bandwidth: 'median', seed: 1 }).fit({ x, n: m, d });
    const dist: number[] = [];
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) dist.push(Math.sqrt(-2 * sigma * sigma * Math.log(kernel(i, j))));
    dist.sort((p, q) => p - q);
    expect(t.state()!.bandwidth).toBeCloseTo(dist[Math.floor((dist.length - 1) / 2)], 10);
  });

  it('validates its options', () => {
    expect(() => randomFourierFeatures({ features: 0, bandwidth: 1, seed: 1 })).toThrow(/features/);
    expect(() => randomFourierFeatures({ features: 8, bandwidth: -1, seed: 1 })).toThrow(/bandwidth/);
    expect(() => randomFourierFeatures({ features: 8, bandwidth: 1, seed: -1 })).toThrow(/seed/);
  });
});
