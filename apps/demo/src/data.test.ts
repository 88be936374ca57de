import { describe, expect, it } from 'vitest';
import { buildTask, csvTask, liftToSphere, unitRows } from './data.js';
import { DEFAULT_STATE, normalizeState } from './state.js';

const norms = (x: Float64Array, d: number) => Array.from({ length: x.length / d }, (_, i) => Math.hypot(...x.subarray(i * d, (i + 1) * d)));

describe('demo tasks', () => {
  it('lifts plane points to the unit sphere: (x, 1) / ||(x, 1)||', () => {
    const l = liftToSphere([3, 4, 0, 0], 2, 2);
    const r = 1 / Math.sqrt(26);
    expect(Array.from(l)).toEqual([3 * r, 4 * r, r, 0, 0, 1]);
    const u = unitRows([3, 4, 9, 0, 0, 9], 2, 3, 2);
    [0.6, 0.8, 0, 0].forEach((v, i) => expect(u[i]).toBeCloseTo(v, 15));
  });

  it('builds every 2-D set deterministically from the seed, with unit rows and +-1 labels', () => {
    for (const dataset of ['moons', 'circles', 'xor', 'lupi'] as const) {
      const state = normalizeState({ ...DEFAULT_STATE, dataset, n: 40, seed: 3 });
      const a = buildTask(state, {});
      const b = buildTask(state, {});
      expect(a.x).toEqual(b.x);
      expect(a.n).toBe(40);
      expect(a.d).toBe(3);
      for (const v of norms(a.x, 3)) expect(v).toBeCloseTo(1, 12);
      expect(new Set(a.y)).toEqual(new Set([-1, 1]));
      expect(a.nPool).toBe(40);
      expect(a.plane?.train.length).toBe(80);
      expect(buildTask({ ...state, seed: 4 }, {}).x).not.toEqual(a.x);
    }
  });

  it('LUPI: the teacher sees the privileged clean features, the student the noisy ones', () => {
    const t = buildTask(normalizeState({ dataset: 'lupi', n: 30, seed: 1 }), {});
    expect(t.teacherX).not.toEqual(t.x);
    expect(t.teacherX.length).toBe(t.x.length);
  });

  it('flips teacher labels at the label-noise rate, never the student\'s', () => {
    const clean = buildTask(normalizeState({ dataset: 'moons', n: 200, seed: 2 }), {});
    const noisy = buildTask(normalizeState({ dataset: 'moons', n: 200, seed: 2, labelNoise: 0.25 }), {});
    expect(noisy.y).toEqual(clean.y);
    let flipped = 0;
    for (let i = 0; i < 200; i++) if (noisy.yPool[i] !== clean.yPool[i]) flipped += 1;
    expect(flipped).toBe(50);
  });

  it('CSV: splits 40/40/20 by the seed, maps two classes to -1/+1, and names the line and column of a bad cell', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i / 10},${(i % 3) / 3},${i % 2 ? 'cat' : 'dog'}`);
    const t = csvTask(['a,b,label', ...rows].join('\n'), DEFAULT_STATE, 'pets.csv');
    expect([t.n, t.nPool, t.nTest]).toEqual([8, 8, 4]);
    expect(t.d).toBe(3);
    expect(new Set([...t.y, ...t.yPool, ...t.yTest])).toEqual(new Set([-1, 1]));
    expect(t.plane).toBeDefined();
    expect(() => csvTask('a,b,label\n1,2,0\n1,x,1\n', DEFAULT_STATE, 'bad.csv')).toThrow('bad.csv (record 1, line 3, column 2): non-numeric cell');
    expect(() => csvTask(`a,label\n${Array.from({ length: 12 }, (_, i) => `${i},${i % 3}`).join('\n')}`, DEFAULT_STATE, 'three.csv'))
      .toThrow('three.csv: the last column holds 3 classes (0, 1, 2); the demo needs exactly 2.');
    expect(() => csvTask('a,label\n1,0\n2,1\n', DEFAULT_STATE, 'tiny.csv')).toThrow('tiny.csv: 2 data rows; the demo needs at least 10.');
  });
});
