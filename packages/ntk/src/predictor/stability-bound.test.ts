import { describe, expect, it } from 'vitest';
import { denseOperator } from '@pikt/linalg';
import { stabilityBound } from './stability-bound.js';

describe('stabilityBound', () => {
  // H = [[2, 1, 0], [1, 2, 0], [0, 0, 0.5]]: eigenvalues 3, 1, 0.5.
  const H = [2, 1, 0, 1, 2, 0, 0, 0, 0.5];
  it('dense: mu_max = 3 exactly, eta_max = 2 / ((1 + lambda) mu_max)', () => {
    const b = stabilityBound(H, 1);
    expect(b.method).toBe('dense');
    expect(b.muMax).toBeCloseTo(3, 13);
    expect(b.etaMax).toBeCloseTo(1 / 3, 13);
    expect(stabilityBound(H).etaMax).toBeCloseTo(2 / 3, 13);
  });
  it('operator: the Lanczos estimate plus residual, exact once the Krylov space is exhausted', () => {
    const b = stabilityBound(denseOperator(H), 0.5);
    expect(b.method).toBe('lanczos');
    expect(b.muMax).toBeCloseTo(3, 10);
    expect(b.etaMax).toBeCloseTo(2 / (1.5 * 3), 10);
  });
  it('rejects a non-square array and a negative lambda', () => {
    expect(() => stabilityBound([1, 2, 3])).toThrow('Invalid option "gram": got "3 values". Expected a row-major n x n Gram matrix');
    expect(() => stabilityBound(H, -1)).toThrow('"lambda"');
  });
});
