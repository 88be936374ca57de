import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { standardize, unitNorm } from './basic.js';
import { pca } from './pca.js';
import { pipeline } from './pipeline.js';

const n = 30;
const d = 6;
const x = createRng(4).fillNormal(new Float64Array(n * d), 2, 3);
const test = createRng(5).fillNormal(new Float64Array(10 * d), -1, 1);

describe('pipeline', () => {
  it('fits each step on the previous steps\' training output, then chains apply', () => {
    const p = pipeline([standardize(), pca({ k: 3 }), unitNorm()]).fit({ x, n, d });
    // The same by hand.
    const s = standardize().fit({ x, n, d });
    const xs = s.apply({ x, n, d });
    const q = pca({ k: 3 }).fit(xs);
    const u = unitNorm().fit(q.apply(xs));
    const manual = (m: { x: Float64Array; n: number; d: number }) => u.apply(q.apply(s.apply(m)));
    expect(p.apply({ x: test, n: 10, d }).x).toEqual(manual({ x: test, n: 10, d }).x);
    const out = p.apply({ x, n, d });
    expect(out.d).toBe(3);
    for (let i = 0; i < n; i++) expect(Math.hypot(out.x[3 * i], out.x[3 * i + 1], out.x[3 * i + 2])).toBeCloseTo(1, 14);
  });

  it('describes itself as JSON and refuses apply before fit', () => {
    const p = pipeline([standardize(), pca({ k: 2, whiten: true })]);
    expect(p.toJSON()).toEqual({ id: 'pipeline', options: { steps: [
      { id: 'standardize', options: { epsilon: 1e-12 } },
      { id: 'pca', options: { k: 2, center: true, whiten: true } },
    ] } });
    expect(() => p.apply({ x, n, d })).toThrow(/Transform "pipeline" was applied before fit/);
    expect(() => pipeline([{} as never])).toThrow(/pipeline\.steps/);
  });
});
