import type { TrainerEvent } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../backends.js';
import { taskConfigFor, teacherSpecFor } from './run-spec.js';
import { getPreset } from './presets.js';
import { prepareTask } from './task.js';
import { trainTeacher } from './teacher.js';

beforeAll(async () => { await activateBackend('wasm'); });

/** The growth rule before the detector of @pikt/trainer's divergence-detector.ts: 5 rises in a row to > 10x the best loss. */
function oldRuleStep(losses: readonly number[]): number | null {
  let best = Infinity;
  for (let i = 0; i < losses.length; i++) {
    best = Math.min(best, losses[i]);
    if (i < 5) continue;
    const w = losses.slice(i - 5, i + 1);
    if (w.every((v, j) => j === 0 || v > w[j - 1]) && losses[i] > 10 * best) return i + 1;
  }
  return null;
}

describe('the tiny teacher trained long (Adam, 2500 steps)', () => {
  it("runs to the end through float32 noise at convergence and Adam's oscillation, both of which the old rule called divergence", async () => {
    const preset = getPreset('tiny');
    const task = await prepareTask(taskConfigFor(preset, 'mnist'));
    const losses: number[] = [];
    const reporter = { specificationVersion: 'v1' as const, id: 'losses', onEvent: (e: TrainerEvent) => { if (e.type === 'step-end') losses.push(e.loss); } };
    const t = await trainTeacher(task, { ...teacherSpecFor(preset, 'strong'), label: 'cli', steps: 2500 }, { reporters: [reporter] });
    expect(losses).toHaveLength(2500);
    expect(t?.testAccuracy).toBeGreaterThan(0.5);
    // Measured when the detector was written: the old rule stopped this run at step 1987 (6e-13 -> 8e-12).
    const old = oldRuleStep(losses);
    expect(old).not.toBeNull();
    expect(losses[(old as number) - 1]).toBeLessThan(1e-6 * losses[0]);
    // Adam's climbs after convergence: orders of magnitude above the best loss, still far below the first.
    const best = Math.min(...losses);
    const late = Math.max(...losses.slice(1500));
    expect(late).toBeGreaterThan(1e6 * best);
    expect(late).toBeLessThan(losses[0]);
  });
});
