import { describe, expect, it } from 'vitest';
import { alphaOf, curvature, decodeState, DEFAULT_STATE, encodeState, learningRate, normalizeState } from './state.js';

describe('demo state in the URL', () => {
  it('encodes only the fields that differ from the defaults, with short keys', () => {
    expect(encodeState({ ...DEFAULT_STATE })).toBe('');
    expect(encodeState({ ...DEFAULT_STATE, dataset: 'circles', lambda: 2.5, width: 8192, seed: 11, backend: 'webgl' })).toBe('ds=circles&l=2.5&m=8192&seed=11&be=webgl');
  });

  it('round-trips every field', () => {
    const s = normalizeState({ dataset: 'mnist', n: 300, dim: 16, noise: 0.2, teacher: 'narrow-mlp', teacherFraction: 0.25, teacherSteps: 40, labelNoise: 0.1,
      lambda: 3, regularizer: 'kl', temperature: 2, width: 4096, step: 1.5, steps: 321, batch: 20, seed: 9, backend: 'webgl', mode: 'predict' });
    expect(decodeState(`?${encodeState(s)}`)).toEqual(s);
  });

  it('clamps numbers into range, rounds integers, makes the width even, and ignores unknown values', () => {
    expect(decodeState('m=99999&k=2.6&l=-4&ds=nope&r=kl&b=abc')).toEqual({ ...DEFAULT_STATE, width: 16384, steps: 3, lambda: 0, regularizer: 'kl' });
    expect(decodeState('m=1001').width).toBe(1000);
  });

  it('alpha = lambda / (1 + lambda) and the stability bound 2 / (c mu_max)', () => {
    expect(alphaOf(1)).toBe(0.5);
    expect(alphaOf(3)).toBe(0.75);
    expect(curvature({ lambda: 3, regularizer: 'quadratic' })).toBe(4);
    expect(curvature({ lambda: 4, regularizer: 'kl' })).toBe(2);
    expect(curvature({ lambda: 4, regularizer: 'none' })).toBe(1);
    expect(learningRate(1, 2, 50)).toEqual({ eta: 0.01, bound: 0.02, stable: true });
    expect(learningRate(2.1, 2, 50).stable).toBe(false);
  });
});
