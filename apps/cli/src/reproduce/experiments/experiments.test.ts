import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../results/types.js';
import { getPreset } from '../presets.js';
import { knobParams } from '../run-spec.js';
import type { PlannedRun } from '../types.js';
import { logLogSlope } from './e5.js';
import { EXPERIMENTS } from './index.js';

const preset = getPreset('tiny');

/** A run whose numbers follow its width (so E5's slope is known) and agree with theory to 1%. */
function fakeRecord(planned: PlannedRun): RunRecord {
  const run = { label: planned.label, params: knobParams(planned.knobs) };
  const m = run.params.width ?? 512;
  const k = [0, 10, 20];
  return {
    label: run.label, params: run.params,
    measured: { labelErrorFinal: 1.01, testLoss: 0.202, testAccuracy: 0.9, iterationsToEps: 20, capacity: 3.03, trajectoryGap: 0.5 / Math.sqrt(m), kernelDrift: 1 / Math.sqrt(m), ntkInitError: 2 / Math.sqrt(m), teacherTestAccuracy: 0.8, diverged: 1 },
    predicted: { labelErrorFinal: 1, testLoss: 0.2, testAccuracy: 0.9, iterationsToEps: 20, capacity: 3, labelErrorInf: 0.9, capacityInf: 3.2, diverged: 1 },
    curves: { k, labelLossMeasured: [1, 0.5, 0.25], labelLossPredicted: [1, 0.5, 0.26], residualMeasured: [1, 0.3, 0.1], residualPredicted: [1, 0.3, 0.1], kTest: k, testLossMeasured: [0.5, 0.3, 0.2], testLossPredicted: [0.5, 0.3, 0.2], eigIndex: [1, 2], eigMeasured: [2, 1], eigPredicted: [2, 1] },
  };
}

describe('experiments E1-E6', () => {
  it('plan unique labels and build a report section with table, figures and verdicts', () => {
    for (const e of EXPERIMENTS) {
      const plan = e.plan(preset);
      expect(new Set(plan.map((r) => r.label)).size).toBe(plan.length);
      expect(plan.every((r) => r.experiment === e.id)).toBe(true);
      const report = e.report(plan.map(fakeRecord), { preset, setup: 'mnist 3 vs 5' });
      expect(report.table.rows).toHaveLength(plan.length);
      expect(report.table.rows.every((row) => row.length === report.table.columns.length)).toBe(true);
      expect(report.figures.length).toBeGreaterThanOrEqual(2);
      for (const f of report.figures) {
        expect(f.file).toBe(`figures/${f.id}.svg`);
        expect(f.id.startsWith(e.id.toLowerCase())).toBe(true);
        expect(f.svg).toContain('class="legend-item');
        expect(f.svg).not.toContain('no data');
      }
      expect(report.verdicts.length).toBeGreaterThanOrEqual(plan.length);
      expect(report.setup).toContain('mnist 3 vs 5');
    }
  });

  it('judge the fake numbers as the tolerances say', () => {
    const e1 = EXPERIMENTS[0].report(EXPERIMENTS[0].plan(preset).map(fakeRecord), { preset, setup: '' });
    const words = e1.verdicts.map((v) => v.words);
    expect(words).toContain('P4 [with-teacher] holds: measured 1.01 vs predicted 1, a gap of 1% relative (within the 10% tolerance).');
    expect(words.some((w) => w.startsWith('P6 (teacher vs none) does not hold: with teacher 20 steps vs without 20 steps'))).toBe(true);
    const e5 = EXPERIMENTS[4].report(EXPERIMENTS[4].plan(preset).map(fakeRecord), { preset, setup: '' });
    const slope = e5.verdicts.find((v) => v.prediction === 'P8 (slope)');
    expect(slope?.measured).toBeCloseTo(-0.5, 12);
    expect(slope?.holds).toBe(true);
    expect(e5.verdicts.find((v) => v.prediction === 'P8 (gap)')?.holds).toBe(true);
    const e6 = EXPERIMENTS[5].report(EXPERIMENTS[5].plan(preset).map(fakeRecord), { preset, setup: '' });
    expect(e6.verdicts.find((v) => v.prediction.includes('feature-matching'))?.holds).toBeNull();
  });

  it('logLogSlope recovers a power law and ignores unusable points', () => {
    expect(logLogSlope([1, 10, 100], [5, 5 / Math.sqrt(10), 0.5])).toBeCloseTo(-0.5, 12);
    expect(logLogSlope([1, 2], [NaN, 1])).toBeNull();
  });
});
