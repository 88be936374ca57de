import { describe, expect, it } from 'vitest';
import { createPiPredictor, hinf } from './index.js';

// The README's example, run as written (with the numbers it should give).
describe('README example', () => {
  it('runs and gives the documented quantities', () => {
    const d = 2;
    const x = Float64Array.from([1, 0, 0.6, 0.8, 0, 1, -0.6, 0.8]);
    const y = Float64Array.from([1, 1, -1, -1]);
    const z = Float64Array.from([0.8, 0.5, -0.4, -0.9]);
    const H = hinf(x, null, { inputDim: d }).data;
    const probe = createPiPredictor({ gram: H, y, z, lambda: 1, eta: 0.1 });
    const eta = 1 / ((1 + 1) * probe.stability.mu1);
    const p = createPiPredictor({ basis: probe.basis, y, z, lambda: 1, eta });
    const curves = p.lossCurves([0, 10, 100]);
    expect(curves.total[2]).toBeLessThan(curves.total[0]);
    const ybar = y.map((v, i) => (v + z[i]) / 2);
    const u = p.converged();
    for (let i = 0; i < 4; i++) expect(u[i]).toBeCloseTo(ybar[i], 10);
    const dzy = Math.sqrt(z.reduce((s, v, i) => s + (v - y[i]) ** 2, 0));
    expect(p.labelError().predicted).toBeCloseTo(0.5 * dzy, 14);
    expect(p.capacity().value).toBeGreaterThan(0);
    const it = p.iterationsToEps(1e-2);
    expect(it.withTeacher).not.toBeNull();
    expect(p.complexityTerm().value).toBeGreaterThan(0);
    expect(p.alignment().y.reduce((s, v) => s + v, 0)).toBeCloseTo(4, 12);
  });
});
