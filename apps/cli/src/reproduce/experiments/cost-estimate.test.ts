import { describe, expect, it } from 'vitest';
import { getPreset } from '../presets.js';
import { resolvePlan, taskConfigFor } from '../run-spec.js';
import { COST_MODEL, estimatePlan } from './cost-estimate.js';
import { EXPERIMENTS } from './index.js';

const planOf = (name: string, which = EXPERIMENTS) => {
  const p = getPreset(name);
  return resolvePlan(which.flatMap((e) => e.plan(p)), p, taskConfigFor(p, 'mnist'));
};

describe('estimatePlan', () => {
  it('reproduces the measured quick-preset run that fitted it: n = 200, m = 2048, d = 32, 300 steps = 6.6 s', () => {
    const [without] = planOf('quick', [EXPERIMENTS[0]]);
    expect(without.spec.teacher).toBeNull();
    expect(estimatePlan([without]).seconds).toBeCloseTo(200 * 2048 * 300 * (COST_MODEL.aNs + 32 * COST_MODEL.bNs) * 1e-9, 9);
    expect(estimatePlan([without]).seconds).toBeCloseTo(6.6, 1);
  });

  it('counts runs that share a spec once (E1 seed 0 reappears in E2-E7)', () => {
    const plan = planOf('quick');
    const e = estimatePlan(plan);
    expect(e.distinctRuns).toBeLessThan(plan.length);
    expect(e.byExperiment.E3).toBeLessThan(e.byExperiment.E1);
  });

  it('sizes the full preset to finish within 60 minutes on one worker of a 2-core machine', () => {
    const e = estimatePlan(planOf('full'));
    expect(e.seconds).toBeLessThan(3600);
    expect(e.seconds).toBeGreaterThan(5 * estimatePlan(planOf('quick')).seconds);
  });
});
