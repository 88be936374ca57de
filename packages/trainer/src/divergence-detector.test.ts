import { createCpuBackend } from '@pikt/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { createDivergenceDetector } from './divergence-detector.js';
import type { DivergenceAlarm } from './divergence-detector.js';
import { DivergenceError } from './divergence.js';
import { train } from './train.js';

const config = { window: 5, factor: 10 };

/** Feed a loss sequence; the 1-based step of the first alarm, or null. */
function firstAlarm(losses: readonly number[], cfg = config): { step: number; alarm: DivergenceAlarm } | null {
  const d = createDivergenceDetector(cfg);
  for (const [i, l] of losses.entries()) {
    const alarm = d.observe(l, {});
    if (alarm) return { step: i + 1, alarm };
  }
  return null;
}

/** The rule before this detector (rose `window` times in a row and > factor x best): shows each sequence is a real trap. */
function oldRuleFires(losses: readonly number[]): boolean {
  let best = Infinity;
  for (let i = 0; i < losses.length; i++) {
    best = Math.min(best, losses[i]);
    if (i < config.window) continue;
    const win = losses.slice(i - config.window, i + 1);
    if (win.every((v, j) => j === 0 || v > win[j - 1]) && losses[i] > config.factor * best) return true;
  }
  return false;
}

/**
 * Adam's oscillation, shaped like the full preset's teacher (measured: 2160 at step 1, 1.6e-4 at
 * step 925, then 32 rises in a row to 9.0, then back down): geometric decay, a geometric climb
 * by 1.45x per step, a fall.
 */
function adamSpike(): number[] {
  const out: number[] = [];
  for (let k = 0; k < 925; k++) out.push(2160 * Math.exp(-k * Math.log(2160 / 1.6e-4) / 924));
  for (let k = 1; k <= 32; k++) out.push(1.6e-4 * 1.4077 ** k);
  for (let k = 1; k <= 40; k++) out.push(9 * 0.7 ** k);
  return out;
}

/** float32 noise at convergence, shaped like the tiny teacher: 31 down to 2e-13, then wandering in [2e-13, 8e-12]. */
function float32Noise(): number[] {
  const out: number[] = [];
  for (let k = 0; k < 1000; k++) out.push(31 * Math.exp(-k * Math.log(31 / 2e-13) / 999));
  for (let rep = 0; rep < 20; rep++) for (let j = 0; j < 7; j++) out.push(2e-13 * 1.7 ** j);
  return out;
}

describe('divergence detector on synthetic loss sequences', () => {
  it("no alarm on Adam's oscillation: the climb stays far below the first loss", () => {
    const seq = adamSpike();
    expect(seq[956]).toBeCloseTo(9, 1);
    expect(oldRuleFires(seq)).toBe(true);
    expect(firstAlarm(seq)).toBeNull();
  });

  it('no alarm on float32 noise near a converged loss (6e-13 -> 8e-12)', () => {
    const seq = float32Noise();
    expect(Math.max(...seq.slice(1000))).toBeCloseTo(2e-13 * 1.7 ** 6, 20);
    expect(oldRuleFires(seq)).toBe(true);
    expect(firstAlarm(seq)).toBeNull();
  });

  it('alarms within 10 steps on geometric growth |1 - eta mu|^(2k), eta 10x the bound', () => {
    // eta (1 + lambda) mu = 20: the top component grows 19x per step, the loss 361x.
    const seq = Array.from({ length: 30 }, (_, k) => 2.5 * 361 ** k);
    const hit = firstAlarm(seq);
    expect(hit?.step).toBe(6);
    expect(hit?.alarm).toEqual({ reason: 'growing', from: 2.5, to: 2.5 * 361 ** 5, best: 2.5, start: 2.5, window: 5, factor: 10 });
  });

  it('alarms just above the bound once the loss passes 10x its best and its start (1.05x: 1.21x per step)', () => {
    const seq = Array.from({ length: 60 }, (_, k) => 1.21 ** k);
    expect(firstAlarm(seq)?.step).toBe(14); // 1.21^13 = 11.9 > 10 after 5 rises in a row
  });

  it('alarms at once on NaN or Inf, naming the term', () => {
    const d = createDivergenceDetector(config);
    expect(d.observe(1, { a: 1 })).toBeNull();
    expect(d.observe(1, { a: Number.NaN })).toEqual({ reason: 'non-finite', what: 'loss term "a" is NaN' });
    expect(createDivergenceDetector({ window: 0, factor: 10 }).observe(Infinity, {})).toEqual({ reason: 'non-finite', what: 'loss is Infinity' });
  });

  it('state round-trips, and a checkpoint from before `start` takes its oldest loss as the start', () => {
    const a = createDivergenceDetector({ window: 3, factor: 10 });
    [1, 2, 4].forEach((l) => a.observe(l, {}));
    expect(a.state()).toEqual({ recent: [1, 2, 4], best: 1, start: 1 });
    const b = createDivergenceDetector({ window: 3, factor: 10 }, structuredClone(a.state()));
    expect(b.observe(100, {})).toMatchObject({ reason: 'growing', from: 1, to: 100 });
    const old = createDivergenceDetector({ window: 3, factor: 10 }, { recent: [5, 6, 7], best: 0.5 });
    expect(old.state().start).toBe(5);
    expect(old.observe(6, {})).toBeNull();
  });
});

// Adam's oscillation and float32 noise in real training: apps/cli/src/reproduce/teacher.test.ts (the tiny teacher, 2500 steps).
describe('divergence detector in real training (cpu backend)', () => {
  beforeAll(async () => { await createCpuBackend().activate(); });
  // u = X W with X X^T = s^2 I: NTK Gram s^2 I, bound 2 / ((1 + lambda) s^2) (SCIENCE.md P3).
  const { s, data } = orthogonalProblem();
  const lambda = 1;
  const bound = 2 / ((1 + lambda) * s * s);
  const terms = [{ name: 'label', regularizer: squaredLabel() }, { name: 'pi', regularizer: quadraticPi({ lambda }) }];

  it('full-batch GD at 4x the bound stops within 10 steps', async () => {
    const model = linearModel({ vjp: true, trainable: ['W'] });
    let err: unknown;
    try {
      await train({ model, terms, data, settings: { seed: 3, optimizer: { kind: 'gd', lr: 4 * bound }, steps: 200, stability: { muMax: s * s, lambda, allowUnstable: true } } });
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).reason).toBe('growing');
    expect((err as DivergenceError).step).toBeLessThanOrEqual(10);
  });
});
