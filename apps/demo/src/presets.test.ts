import { describe, expect, it } from 'vitest';
import { applyPreset, PRESETS } from './presets.js';
import { DEFAULT_STATE, normalizeState } from './state.js';

describe('presets', () => {
  it('are valid states that keep the seed, backend and mode of the current one', () => {
    const current = { ...DEFAULT_STATE, seed: 42, backend: 'webgl' as const, mode: 'predict' as const, lambda: 7 };
    expect(PRESETS.map((p) => p.id)).toEqual(['interpolate', 'fewer-iterations', 'weak-teacher', 'narrow', 'above-bound', 'sgd']);
    for (const p of PRESETS) {
      const s = applyPreset(current, p);
      expect(normalizeState(s)).toEqual(s);
      expect([s.seed, s.backend, s.mode]).toEqual([42, 'webgl', 'predict']);
    }
  });

  it('tell the story the theory predicts: m = 8192 to interpolate, a step above the bound, mini-batches, a narrow width', () => {
    const by = Object.fromEntries(PRESETS.map((p) => [p.id, applyPreset(DEFAULT_STATE, p)]));
    expect(by.interpolate).toMatchObject({ width: 8192, lambda: 1, regularizer: 'quadratic', batch: 0 });
    expect(by['above-bound'].step).toBeGreaterThan(2);
    expect(by.sgd.batch).toBeGreaterThan(0);
    expect(by.narrow.width).toBe(16);
    expect(by['weak-teacher']).toMatchObject({ teacherFraction: 0.05, labelNoise: 0.3 });
  });
});
