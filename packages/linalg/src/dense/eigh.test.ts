import { createRng, InvalidOptionError, maxAbs, OutOfMemoryBudgetError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { matrixWithSpectrum } from './test-matrices.js';
import { eigh, eighFactor, eighProject, eigvalsh } from './eigh.js';
import { basisFromVectors } from './eigen-basis.js';

/** K_ij = exp(-|x_i - x_j|^2 / 2) for n points in R^d drawn around three centres: a PSD Gram with a decaying spectrum. */
function gaussianGram(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centres = rng.child('centres').fillNormal(new Float64Array(3 * d));
  const noise = rng.child('noise');
  const x = Float64Array.from({ length: n * d }, (_, i) => centres[(Math.floor(i / d) % 3) * d + (i % d)] + 0.5 * noise.normal());
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[i * d + c] - x[j * d + c]) ** 2;
      k[i * n + j] = k[j * n + i] = Math.exp(-s / 2);
    }
  }
  return k;
}

/** max |A - V diag(mu) V^T| / max |A| and max |V V^T - I| for eigenvectors stored as rows. */
function errors(a: Float64Array, values: Float64Array, V: Float64Array): { reconstruction: number; orthogonality: number } {
  const n = values.length;
  let rec = 0;
  let orth = 0;
  const scaled = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) scaled[k * n + i] = V[k * n + i] * values[k];
  // column-oriented products over the rows of V: (V^T D V)_ij = sum_k V_ki mu_k V_kj
  const recM = new Float64Array(n * n);
  const gram = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const vk = V.subarray(k * n, (k + 1) * n);
    const sk = scaled.subarray(k * n, (k + 1) * n);
    for (let i = 0; i < n; i++) {
      const a1 = vk[i];
      const row = i * n;
      for (let j = 0; j < n; j++) recM[row + j] += a1 * sk[j];
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += V[i * n + k] * V[j * n + k];
      gram[i * n + j] = s;
    }
  }
  for (let i = 0; i < n * n; i++) rec = Math.max(rec, Math.abs(recM[i] - a[i]));
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) orth = Math.max(orth, Math.abs(gram[i * n + j] - (i === j ? 1 : 0)));
  return { reconstruction: rec / maxAbs(a), orthogonality: orth };
}

describe('eigh (float64 symmetric eigendecomposition)', () => {
  it('n = 500 random SPD matrix: reconstruction and orthogonality below 1e-10, known spectrum to 1e-12', () => {
    const rng = createRng(11);
    const mu = Float64Array.from({ length: 500 }, () => Math.exp(6 * rng.uniform() - 3)).sort().reverse();
    const a = matrixWithSpectrum(mu, 3);
    const r = eigh(a);
    const e = errors(a, r.values, r.vectors);
    expect(e.reconstruction).toBeLessThan(1e-10);
    expect(e.orthogonality).toBeLessThan(1e-10);
    for (let j = 0; j < 500; j++) expect(Math.abs(r.values[j] - mu[j]) / mu[0]).toBeLessThan(1e-12);
  });

  it('n = 500 real Gram (Gaussian kernel of clustered data): reconstruction and orthogonality below 1e-10', () => {
    const h = gaussianGram(500, 20, 5);
    const r = eigh(h);
    const e = errors(h, r.values, r.vectors);
    expect(e.reconstruction).toBeLessThan(1e-10);
    expect(e.orthogonality).toBeLessThan(1e-10);
    for (let j = 1; j < 500; j++) expect(r.values[j]).toBeLessThanOrEqual(r.values[j - 1]);
    expect(r.values[499]).toBeGreaterThan(-1e-12 * r.values[0]); // PSD up to round-off
  });

  it('eighFactor, eighProject and eigvalsh agree with the explicit vectors', () => {
    const a = matrixWithSpectrum([5, 3, 3, 1, 0.5, 0.25, 0, -2], 8);
    const full = eigh(a);
    const f = eighFactor(a);
    const explicit = basisFromVectors(full.values, full.vectors);
    const b = Float64Array.from({ length: 8 }, (_, i) => Math.cos(i));
    const pf = f.project(b);
    const pe = explicit.project(b);
    // Coordinates agree up to the sign of each eigenvector; the repeated eigenvalue 3 mixes its
    // two vectors, so compare the energy there and the vectors rebuilt from coordinates.
    expect(Math.abs(pf[1] ** 2 + pf[2] ** 2 - (pe[1] ** 2 + pe[2] ** 2))).toBeLessThan(1e-12);
    for (const j of [0, 3, 4, 5, 6, 7]) expect(Math.abs(Math.abs(pf[j]) - Math.abs(pe[j]))).toBeLessThan(1e-12);
    const back = f.expand(pf);
    for (let i = 0; i < 8; i++) expect(back[i]).toBeCloseTo(b[i], 12);
    // H v_j = mu_j v_j for the implicit vectors.
    for (let j = 0; j < 8; j++) {
      const v = f.expand(Float64Array.from({ length: 8 }, (_, i) => (i === j ? 1 : 0)));
      for (let i = 0; i < 8; i++) {
        let s = 0;
        for (let k = 0; k < 8; k++) s += a[i * 8 + k] * v[k];
        expect(Math.abs(s - f.values[j] * v[i])).toBeLessThan(1e-12);
      }
    }
    expect(Array.from(eigvalsh(a))).toEqual(Array.from(f.values));
    const p = eighProject(a, [b]);
    expect(Array.from(p.projections[0])).toEqual(Array.from(pf));
    [5, 3, 3, 1, 0.5, 0.25, 0, -2].forEach((mu, j) => expect(Math.abs(f.values[j] - mu)).toBeLessThan(1e-12));
  });

  it('converges on a rank-deficient covariance (PCA of few images in many pixels): 20 rows in R^300', () => {
    // C = X^T X / n has rank 20; its other 280 eigenvalues are zero up to round-off, a block in
    // which the neighbour-relative split test alone stalled (MNIST PCA with 40 images, d = 784).
    const n = 20;
    const d = 300;
    const rng = createRng(21);
    const x = rng.fillNormal(new Float64Array(n * d));
    const c = new Float64Array(d * d);
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i * d + a] * x[i * d + b];
      c[a * d + b] = c[b * d + a] = s / n;
    }
    // the nonzero eigenvalues of X^T X / n are those of the n x n Gram X X^T / n
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += x[i * d + a] * x[j * d + a];
      g[i * n + j] = s / n;
    }
    const full = eigh(c);
    const ref = eigvalsh(g);
    for (let j = 0; j < n; j++) expect(Math.abs(full.values[j] - ref[j])).toBeLessThan(1e-12 * ref[0]);
    for (let j = n; j < d; j++) expect(Math.abs(full.values[j])).toBeLessThan(1e-13 * ref[0]);
    const e = errors(c, full.values, full.vectors);
    expect(e.reconstruction).toBeLessThan(1e-12);
    expect(e.orthogonality).toBeLessThan(1e-12);
  });

  it('handles n = 1, n = 2, diagonal and zero matrices', () => {
    expect(Array.from(eigh([4]).values)).toEqual([4]);
    const two = eigh([2, 1, 1, 2]);
    expect(two.values[0]).toBeCloseTo(3, 14);
    expect(two.values[1]).toBeCloseTo(1, 14);
    expect(Array.from(eigh([0, 0, 0, 0, 3, 0, 0, 0, 1]).values)).toEqual([3, 1, 0]);
    expect(Array.from(eigh(new Float64Array(16)).values)).toEqual([0, 0, 0, 0]);
  });

  it('refuses non-square, non-symmetric, non-finite and over-budget input with a clear error', () => {
    expect(() => eigh([1, 2, 3])).toThrow(/row-major n x n/);
    expect(() => eigh([1, 2, 3, 4])).toThrow(InvalidOptionError);
    expect(() => eigh([1, NaN, NaN, 1])).toThrow(/NaN at index 1/);
    const err = (() => { try { eigh(new Float64Array(100 * 100), { memoryBudgetBytes: 1000 }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(OutOfMemoryBudgetError);
    expect((err as OutOfMemoryBudgetError).bytesNeeded).toBe(80000);
    // eighFactor also counts its rotation log: 30 n^2 bytes
    expect(() => eighFactor(new Float64Array(100 * 100), { memoryBudgetBytes: 200_000 })).toThrow(/work arrays.*300000 bytes/s);
  });
});
