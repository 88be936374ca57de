import { describe, expect, it } from 'vitest';
import { checkDataDir, prepareTask } from './task.js';

describe('prepareTask', () => {
  it('cuts an MNIST class pair, PCA-reduces and unit-normalizes it, deterministically', async () => {
    const cfg = { dataset: 'mnist' as const, classes: [3, 5] as [number, number], trainPerClass: 20, testPerClass: 10, teacherPerClass: 5, pcaDim: 8, seed: 1 };
    const t = await prepareTask(cfg);
    expect([t.n, t.d, t.nTest, t.nTeacher]).toEqual([40, 8, 20, 10]);
    expect(t.yTeacher.reduce((a, b) => a + b, 0)).toBe(0);
    expect(t.x.length).toBe(40 * 8);
    for (let i = 0; i < t.n; i++) {
      let s = 0;
      for (let j = 0; j < t.d; j++) s += t.x[i * t.d + j] ** 2;
      expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-12);
    }
    expect([...new Set(t.y)].sort()).toEqual([-1, 1]);
    expect(t.y.reduce((a, b) => a + b, 0)).toBe(0);
    expect(t.description).toContain('mnist classes 3 (y = -1) vs 5 (y = +1): 40 student training samples, 20 test samples and a disjoint pool of 10 samples');
    const again = await prepareTask(cfg);
    expect(again.x).toEqual(t.x);
    expect(again.xTest).toEqual(t.xTest);
  });

  it('names a missing data folder', () => {
    expect(() => checkDataDir('/no/such/folder')).toThrow('Data directory /no/such/folder does not exist.');
  });
});
