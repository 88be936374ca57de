import { describe, expect, it } from 'vitest';
import { teacherOutput, teacherStudent } from './teacher-student.js';

describe('teacherStudent', () => {
  it('inputs lie on the unit sphere and pi is the clean teacher output f*(x)', () => {
    const { train, truth } = teacherStudent({ d: 6, hidden: 8, n: 50, noise: 0, seed: 1 });
    for (let i = 0; i < train.n; i++) {
      let s = 0;
      for (let j = 0; j < 6; j++) s += train.x[i * 6 + j] ** 2;
      expect(s).toBeCloseTo(1, 6);
      expect(train.pi![i]).toBeCloseTo(teacherOutput(truth, train.x, i * 6, 6), 5);
      expect(train.targets[i]).toBe(train.pi![i] > 0 ? 1 : -1); // no noise: labels are the teacher's signs
    }
    expect(Array.from(truth.a)).toEqual([1, 1, 1, 1, -1, -1, -1, -1]);
  });

  it('E_x f*(x) = 0 exactly for a balanced teacher (checked to 4 standard errors); regression noise has variance sigma^2', () => {
    const { train, truth } = teacherStudent({ d: 8, hidden: 64, n: 6000, noise: 0.3, task: 'regression', seed: 2 });
    const n = train.n;
    const f = Array.from(train.pi!);
    const mean = f.reduce((a, b) => a + b) / n;
    const variance = f.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(variance / n));
    // Each hidden unit sees w_r . x with E (w_r . x)^2 = 1 (norm sqrt(d) on the unit sphere).
    for (let r = 0; r < 4; r++) {
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        let u = 0;
        for (let j = 0; j < 8; j++) u += truth.w[r * 8 + j] * train.x[i * 8 + j];
        s2 += u * u;
      }
      expect(Math.abs(s2 / n - 1)).toBeLessThan(0.1);
    }
    let r2 = 0;
    for (let i = 0; i < n; i++) r2 += (train.targets[i] - f[i]) ** 2;
    expect(Math.abs(r2 / n - 0.09)).toBeLessThan(4 * 0.09 * Math.sqrt(2 / n));
    expect(train.classIds).toBeUndefined();
  });

  it('validates options', () => {
    expect(() => teacherStudent({ hidden: 3, seed: 1 })).toThrow(/even integer/);
    expect(() => teacherStudent({ noise: -1, seed: 1 })).toThrow(/"noise"/);
    expect(() => teacherStudent({ task: 'x' as never, seed: 1 })).toThrow(/"task"/);
  });
});
