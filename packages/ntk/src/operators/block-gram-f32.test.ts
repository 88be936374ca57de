import { describe, expect, it } from 'vitest';
import { createBlockGram } from './block-gram.js';
import { PANEL_BAND } from './panel-products.js';
import { applyRule, denseOperator, gaussRule, lanczos, matrixWithSpectrum, PANEL_GROUP } from '@pikt/linalg';

const U = 2 ** -24;
/** gamma_m = m u / (1 - m u): the bound of panel-product-kernel.ts with m = max(GROUP, band) + 2. */
const GAMMA = ((Math.max(PANEL_GROUP, PANEL_BAND) + 2) * U) / (1 - (Math.max(PANEL_GROUP, PANEL_BAND) + 2) * U);

function fromDense(a: ArrayLike<number>, n: number) {
  return (i0: number, i1: number, j0: number, j1: number, out: Float32Array, ld: number) => {
    for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[(i - i0) * ld + (j - j0)] = a[i * n + j];
  };
}

/** Float64 A x and sum_j |a_ij x_j| for the float32-rounded matrix. */
function reference(a32: Float64Array, n: number, x: Float64Array): { y: Float64Array; abs: Float64Array } {
  const y = new Float64Array(n), abs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const t = a32[i * n + j] * Math.fround(x[j]);
      y[i] += t;
      abs[i] += Math.abs(t);
    }
  }
  return { y, abs };
}

describe("block Gram with products: 'float32' (f32x4 panel kernels)", () => {
  const n = 301; // not a multiple of the block (64), the panel chunk (4) or the row pair
  const mu = Float64Array.from({ length: n }, (_, i) => 10 * Math.exp(-i / 8) + 1e-3);
  const A = matrixWithSpectrum(mu, 5);
  const A32 = A.map((v) => Math.fround(v));
  const xs = Array.from({ length: 7 }, (_, v) => Float64Array.from({ length: n }, (_, i) => Math.sin(0.37 * i * (v + 1)) + 0.05 * v));

  // Block 160: diagonal blocks of 3 bands (the last one 32 rows, then 13), read by their lower triangle.
  for (const blockSize of [64, 160]) it(`A x for 1 to 7 vectors is within gamma_66 sum_j |a_ij x_j| of the float64 product (block ${blockSize})`, () => {
    const g = createBlockGram(n, fromDense(A, n), { blockSize, products: 'float32' });
    expect(g.storage).toMatch(/float32 products$/);
    for (const count of [1, 2, 3, 4, 5, 7]) {
      const ys = xs.slice(0, count).map(() => new Float64Array(n).fill(99));
      g.apply(xs.slice(0, count), ys);
      ys.forEach((y, v) => {
        const r = reference(A32, n, xs[v]);
        for (let i = 0; i < n; i++) expect(Math.abs(y[i] - r.y[i])).toBeLessThanOrEqual(GAMMA * r.abs[i]);
      });
    }
  });

  it('a diagonal block is read only below its bands\' squares (NaN above them changes nothing)', () => {
    const clean = createBlockGram(n, fromDense(A, n), { blockSize: 160, products: 'float32' });
    const fill = fromDense(A, n);
    const poisoned = createBlockGram(n, (i0, i1, j0, j1, out, ld) => {
      fill(i0, i1, j0, j1, out, ld);
      if (i0 !== j0) return;
      for (let r = 0; r < i1 - i0; r++) for (let c = Math.floor(r / PANEL_BAND) * PANEL_BAND + PANEL_BAND; c < j1 - j0; c++) out[r * ld + c] = Number.NaN;
    }, { blockSize: 160, products: 'float32' });
    const [a, b] = [clean, poisoned].map((g) => { const y = [new Float64Array(n), new Float64Array(n)]; g.apply(xs.slice(0, 2), y); return y; });
    for (let v = 0; v < 2; v++) expect(Array.from(b[v])).toEqual(Array.from(a[v]));
  });

  it('two threads (small shards) give the same bound, bitwise repeatable, and one thread again after dispose', async () => {
    const g = createBlockGram(n, fromDense(A, n), { blockSize: 64, products: 'float32', threads: 2, shardBytes: 120_000 });
    expect(g.shardCount).toBeGreaterThan(1);
    const one = xs.slice(0, 4).map(() => new Float64Array(n));
    g.apply(xs.slice(0, 4), one);
    expect(await g.startThreads()).toBe(2);
    const two = [0, 1].map(() => xs.slice(0, 4).map(() => new Float64Array(n)));
    g.apply(xs.slice(0, 4), two[0]);
    g.apply(xs.slice(0, 4), two[1]);
    await g.dispose();
    for (let v = 0; v < 4; v++) {
      const r = reference(A32, n, xs[v]);
      expect(Array.from(two[1][v])).toEqual(Array.from(two[0][v]));
      for (let i = 0; i < n; i++) {
        expect(Math.abs(two[0][v][i] - r.y[i])).toBeLessThanOrEqual(GAMMA * r.abs[i]);
        expect(Math.abs(two[0][v][i] - one[v][i])).toBeLessThanOrEqual(2 * GAMMA * r.abs[i]);
      }
    }
    const after = [new Float64Array(n)];
    g.apply([xs[0]], after);
    const single = [new Float64Array(n)];
    createBlockGram(n, fromDense(A, n), { blockSize: 64, products: 'float32' }).apply([xs[0]], single);
    expect(Array.from(after[0])).toEqual(Array.from(single[0]));
  });

  it('Lanczos on 4 batched starts: Ritz values and quadratic forms match single-vector float64 runs on the stored matrix', () => {
    const g = createBlockGram(n, fromDense(A, n), { blockSize: 64, products: 'float32' });
    const ref = denseOperator(A32);
    const starts = xs.slice(0, 4);
    const batched = lanczos(g, starts, { maxSteps: 40 });
    // The float32 products perturb A by E with ||E||_2 <= gamma_66 || |A| ||_inf (and x rounding):
    // Ritz values and b^T f(A) b / ||b||^2 (f Lipschitz with constant L) move by at most that much times L.
    let normInf = 0;
    for (let i = 0; i < n; i++) normInf = Math.max(normInf, A32.subarray(i * n, (i + 1) * n).reduce((s, v) => s + Math.abs(v), 0));
    const bound = GAMMA * normInf;
    const f = (t: number) => Math.exp(-t / mu[0]);
    starts.forEach((b, v) => {
      const [alone] = lanczos(ref, [b], { maxSteps: 40 });
      const rb = gaussRule(batched[v]), ra = gaussRule(alone);
      for (let j = 0; j < 5; j++) {
        expect(Math.abs(rb.nodes[j] - ra.nodes[j])).toBeLessThanOrEqual(bound);
        expect(Math.abs(ra.nodes[j] - mu[j])).toBeLessThanOrEqual(1e-6 * mu[0]); // the top converged, float32 storage
      }
      const nb2 = b.reduce((s, t) => s + t * t, 0);
      expect(Math.abs(applyRule(rb, f) - applyRule(ra, f)) / nb2).toBeLessThanOrEqual(bound / mu[0]);
    });
  });
});
