import { describe, expect, it } from 'vitest';
import { getPreset } from '../presets.js';
import { COST_MODEL, estimatePlan } from './cost-estimate.js';
import { EXPERIMENTS } from './index.js';

const planOf = (name: string) => {
  const p = getPreset(name);
  return { p, plan: EXPERIMENTS.flatMap((e) => e.plan(p)) };
};

describe('estimatePlan', () => {
  it('reproduces the measured quick-preset run that fitted it: n = 200, m = 2048, d = 32, 300 steps = 6.6 s', () => {
    const { p } = planOf('quick');
    const one = estimatePlan(p, [EXPERIMENTS[0].plan(p)[0]]);
    const teachers = estimatePlan(p, []).seconds;
    expect(one.seconds - teachers).toBeCloseTo(200 * 2048 * 300 * (COST_MODEL.aNs + 32 * COST_MODEL.bNs) * 1e-9, 9);
    expect(one.seconds - teachers).toBeCloseTo(6.6, 1);
  });

  it('counts runs that share a spec once (E1 seed 0 reappears in E2-E7)', () => {
    const { p, plan } = planOf('quick');
    const e = estimatePlan(p, plan);
    expect(e.distinctRuns).toBeLessThan(plan.length);
    expect(e.byExperiment.E3).toBeLessThan(e.byExperiment.E1);
  });

  it('sizes the full preset to finish within 60 minutes on one worker of a 2-core machine', () => {
    const { p, plan } = planOf('full');
    const e = estimatePlan(p, plan);
    expect(e.seconds).toBeLessThan(3600);
    const quick = planOf('quick');
    expect(e.seconds).toBeGreaterThan(5 * estimatePlan(quick.p, quick.plan).seconds);
  });
});
