import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { jacobiSvd } from '@pikt/testkit';
import { pca } from './pca.js';

/** n x d data with strongly unequal variances along random directions, plus an offset. */
function anisotropic(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const z = rng.fillNormal(new Float64Array(n * d));
  const mix = rng.child('mix').fillNormal(new Float64Array(d * d));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
    let s = 3 + j; // offset
    for (let k = 0; k < d; k++) s += z[i * d + k] * (2 / (1 + k)) * mix[k * d + j];
    x[i * d + j] = s;
  }
  return x;
}

function centered(x: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
  return Float64Array.from(x, (v, idx) => v - mean[idx % d]);
}

/** Sign rule of pca(): largest-magnitude entry positive. */
function fixSign(v: Float64Array): Float64Array {
  let big = 0;
  for (let j = 0; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
  return v[big] < 0 ? v.map((t) => -t) : v;
}

describe('pca (float64)', () => {
  const n = 80;
  const d = 12;
  const k = 4;
  const x = anisotropic(n, d, 1);
  const xc = centered(x, n, d);
  const ref = jacobiSvd(xc, n, d); // independent: one-sided Jacobi SVD of the centered data

  it('variances are s_i^2 / n and the projections equal Xc v_i of a float64 SVD reference to 1e-8', () => {
    const t = pca({ k }).fit({ x, n, d });
    const st = t.state()!;
    for (let c = 0; c < k; c++) expect(Math.abs(st.variances[c] - ref.singular[c] ** 2 / n)).toBeLessThan(1e-10 * st.variances[0]);
    const z = t.apply({ x, n, d }).x;
    let maxErr = 0;
    for (let c = 0; c < k; c++) {
      const v = fixSign(ref.right.slice(c * d, (c + 1) * d));
      for (let j = 0; j < d; j++) maxErr = Math.max(maxErr, Math.abs(st.components[c * d + j] - v[j]));
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += xc[i * d + j] * v[j];
        maxErr = Math.max(maxErr, Math.abs(z[i * k + c] - s));
      }
    }
    expect(maxErr).toBeLessThan(1e-8);
    expect(st.totalVariance).toBeCloseTo(ref.singular.reduce((s, v) => s + v * v, 0) / n, 9);
  });

  it('the principal subspace projector V_k^T V_k matches the reference to 1e-8', () => {
    const st = pca({ k }).fit({ x, n, d }).state()!;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
      let p = 0;
      let q = 0;
      for (let c = 0; c < k; c++) {
        p += st.components[c * d + a] * st.components[c * d + b];
        q += ref.right[c * d + a] * ref.right[c * d + b];
      }
      expect(Math.abs(p - q)).toBeLessThan(1e-8);
    }
  });

  it('k = d reconstructs the centered data exactly: Xc = Z V', () => {
    const t = pca({ k: d }).fit({ x, n, d });
    const z = t.apply({ x, n, d }).x;
    const comps = t.state()!.components;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += z[i * d + c] * comps[c * d + j];
      expect(Math.abs(s - xc[i * d + j])).toBeLessThan(1e-10);
    }
  });

  it('whitened training outputs have mean 0 and identity covariance', () => {
    const z = pca({ k, whiten: true }).fit({ x, n, d }).apply({ x, n, d }).x;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += z[i * k + a] * z[i * k + b];
      expect(s / n).toBeCloseTo(a === b ? 1 : 0, 10);
    }
  });

  it('test rows use the training mean and directions; float32 in gives float32 out', () => {
    const t = pca({ k: 2 }).fit({ x, n, d });
    const st = t.state()!;
    const row = Float64Array.from({ length: d }, (_, j) => j * 0.5);
    const out = t.apply({ x: row, n: 1, d }).x;
    let s = 0;
    for (let j = 0; j < d; j++) s += st.components[j] * (row[j] - st.mean[j]);
    expect(out[0]).toBeCloseTo(s, 12);
    expect(t.apply({ x: Float32Array.from(row), n: 1, d }).x).toBeInstanceOf(Float32Array);
  });

  it('validates options and refuses to whiten a zero-variance direction', () => {
    expect(() => pca({ k: 0 })).toThrow(/pca\.k/);
    expect(() => pca({ k: 13 }).fit({ x, n, d })).toThrow(/at most the input dimension 12/);
    const flat = new Float64Array(3 * 4).fill(1);
    expect(() => pca({ k: 1, whiten: true }).fit({ x: flat, n: 3, d: 4 })).toThrow(/cannot be whitened/);
  });
});
