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
    measured: { labelErrorFinal: 1.01, testLoss: 0.202, testAccuracy: 0.9, iterationsToEps: 20, capacity: 3.03, trajectoryGap: 0.5 / Math.sqrt(m), trajectoryGapInit: 0.1 / Math.sqrt(m), kernelDrift: 1 / Math.sqrt(m), ntkInitError: 2 / Math.sqrt(m), teacherTestAccuracy: 0.8, diverged: 1, targetScale: 1, labelNorm: 5, trainSamples: 25, learningRate: 0.5 },
    predicted: { labelErrorFinal: 1, testLoss: 0.2, testAccuracy: 0.9, iterationsToEps: 20, capacity: 3, labelErrorInf: 0.9, capacityInf: 3.2, diverged: 1, labelErrorFinalInit: 1.005, capacityInit: 3.01, iterationsToEpsInit: 20, testLossInit: 0.201, muMaxInit: 2, divergedInit: 0 },
    curves: { k, labelLossMeasured: [1, 0.5, 0.25], labelLossPredicted: [1, 0.5, 0.26], residualMeasured: [1, 0.3, 0.1], residualPredicted: [1, 0.3, 0.1], kTest: k, testLossMeasured: [0.5, 0.3, 0.2], testLossPredicted: [0.5, 0.3, 0.2], eigIndex: [1, 2], eigMeasured: [2, 1], eigPredicted: [2, 1] },
  };
}

describe('experiments E1-E7', () => {
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
    // Judged against the H(W(0)) prediction (1.005), on the scale ||y|| = 5, tolerance 5% * max |ybar| * sqrt(n) / ||y|| = 5%; Hinf beside it.
    expect(words).toContain('P4 [with-teacher] holds: measured 1.01 (mean of 2 seeds, sd 0) vs predicted 1.005, a gap of 0.1% of ||y|| = 5 (within the 5% tolerance). Beside it, the infinite-width (Hinf) prediction: 1.');
    expect(words).toContain('P2 [with-teacher] holds: measured 0.004419 (mean of 2 seeds, sd 0) vs predicted 0, a gap of 0.44% of max |ybar| = 1 (within the 5% tolerance). Beside it, the gap to the infinite-width (Hinf) trajectory: 0.0221 of max |ybar| (judged by its scaling in E5, P8).');
    expect(e1.verdicts.every((v) => v.toleranceReason.length > 10)).toBe(true);
    expect(words.some((w) => w.startsWith('P6 (teacher vs none) (means over 2 seeds) does not hold: with teacher 20 steps vs without 20 steps'))).toBe(true);
    // ...and the report says the theory at this width predicted the same (20 vs 20 on H(W(0))).
    expect(e1.verdicts.find((v) => v.prediction.startsWith('P6 (teacher vs none)'))?.explanation).toBe('the kernel theory on H(W(0)) predicts the same here (iterations 20 with the teacher vs 20 without): for this teacher the claim does not apply, the theory is not contradicted');
    const e5 = EXPERIMENTS[4].report(EXPERIMENTS[4].plan(preset).map(fakeRecord), { preset, setup: '' });
    for (const id of ['P8 (Hinf gap slope)', 'P8 (Gram slope)']) {
      const slope = e5.verdicts.find((v) => v.prediction === id);
      expect(slope?.measured).toBeCloseTo(-0.5, 12);
      expect(slope?.holds).toBe(true);
      expect(slope?.words).toBe(`${id} holds: measured -0.5 (slopes of the 2 seeds: sd 0.000), inside [-0.75, -0.25].`);
    }
    expect(e5.verdicts.find((v) => v.prediction === 'P8 (gap on H(W0))')?.holds).toBe(true);
    const e6 = EXPERIMENTS[5].report(EXPERIMENTS[5].plan(preset).map(fakeRecord), { preset, setup: '' });
    expect(e6.verdicts.find((v) => v.prediction.includes('feature-matching'))?.holds).toBeNull();
  });

  it('logLogSlope recovers a power law and ignores unusable points', () => {
    expect(logLogSlope([1, 10, 100], [5, 5 / Math.sqrt(10), 0.5])).toBeCloseTo(-0.5, 12);
    expect(logLogSlope([1, 2], [NaN, 1])).toBeNull();
  });
});
