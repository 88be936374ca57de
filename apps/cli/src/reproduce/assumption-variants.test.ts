import { eighFactor } from '@pikt/linalg';
import { hinf, twoLayerNtk } from '@pikt/ntk';
import { describe, expect, it } from 'vitest';
import { twoLayerTask, unevenNormTask } from './assumption-variants.js';
import type { EmbeddedTask } from './student-run.js';

const x = Float64Array.from([1, 0, 0, 1, 0.6, 0.8]);
const xTest = Float64Array.from([0.8, 0.6]);
const H = hinf(x, null, { inputDim: 2, onWarning: () => undefined }).data;
const task: EmbeddedTask = {
  n: 3, d: 2, x, y: Float64Array.from([1, -1, 1]), nTest: 1, xTest, yTest: Float64Array.from([1]),
  H, basis: eighFactor(H), hTest: hinf(xTest, x, { inputDim: 2, onWarning: () => undefined }).data,
};

describe('E7 task variants', () => {
  it('both layers: the Gram is the two-layer NTK Hinf + kappa^2 K1 (at x = x\' with unit norm: 1/2 + kappa^2 / 2)', () => {
    const t = twoLayerTask(task, 1);
    expect(Array.from(t.H)).toEqual(Array.from(twoLayerNtk(x, null, { inputDim: 2, trainLayers: 'both', kappa: 1, onWarning: () => undefined }).data));
    expect(t.H[0]).toBeCloseTo(1, 12);
    expect(t.basis.values[0]).toBeGreaterThan(task.basis.values[0]);
    expect(t.x).toBe(task.x);
  });

  it('uneven norms: rows scaled by 2^u, u in [-1, 1] (seeded), Hinf recomputed with those norms', () => {
    const t = unevenNormTask(task, 's');
    const norms = [0, 1, 2].map((i) => Math.hypot(t.x[2 * i], t.x[2 * i + 1]));
    for (const v of norms) { expect(v).toBeGreaterThanOrEqual(0.5); expect(v).toBeLessThanOrEqual(2); }
    expect(new Set(norms.map((v) => v.toFixed(6))).size).toBe(3);
    // Directions are kept: x_i / ||x_i|| is the original row.
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) expect(t.x[2 * i + j] / norms[i]).toBeCloseTo(x[2 * i + j], 12);
    // Hinf_ii = ||x_i||^2 / 2 (SCIENCE.md section 3).
    for (let i = 0; i < 3; i++) expect(t.H[i * 3 + i]).toBeCloseTo(norms[i] ** 2 / 2, 12);
    expect(Array.from(unevenNormTask(task, 's').x)).toEqual(Array.from(t.x));
  });
});
