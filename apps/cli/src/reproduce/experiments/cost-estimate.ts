import { studentSpecFor } from '../executor.js';
import type { Preset } from '../presets.js';
import type { PlannedRun } from '../types.js';

/**
 * Wall-time model of a reproduce plan on one wasm worker, fitted to the quick preset's measured run
 * times (results.json `wallMs`, 2 cores, one worker, an otherwise idle machine):
 *
 *     seconds(run) = n * m * steps * (A + B * d) * factor,   A = 33 ns, B = 0.65 ns
 *
 * (raw d = 32: 54 ns per sample-neuron-step, measured 6.7 s for n = 200, m = 2048, 300 steps; RFF
 * d = 256: 199 ns, measured 24.5 s; width 8192: predicted 26.5 s, measured 22.3 s). Factors: feature
 * matching trains through autodiff (10x per step, measured), mini-batch SGD pays per-update overhead
 * (1.5x, assumed), both layers (1.3x, assumed). Teachers: Adam on the pool, n * h * d * steps * 2 ns.
 * Runs that share a spec are counted once (the executor computes them once).
 */
export const COST_MODEL = { aNs: 33, bNs: 0.65, featureMatching: 10, sgd: 1.5, bothLayers: 1.3, teacherNs: 2 } as const;

export interface PlanEstimate {
  seconds: number;
  /** Seconds per experiment (a run shared with an earlier experiment costs nothing again). */
  byExperiment: Record<string, number>;
  distinctRuns: number;
}

function inputDim(preset: Preset, embedding: string | null): number {
  if (embedding === 'rff') return preset.rffDim;
  if (embedding === 'teacher-features') return preset.teacher.hidden;
  return preset.pcaDim;
}

/** Estimated wall time of `plan` on one worker (see COST_MODEL). */
export function estimatePlan(preset: Preset, plan: readonly PlannedRun[]): PlanEstimate {
  const n = 2 * preset.trainPerClass;
  const seen = new Set<string>();
  const byExperiment: Record<string, number> = {};
  let seconds = 0;
  for (const run of plan) {
    const spec = studentSpecFor(preset, run);
    const key = JSON.stringify({ spec, teacher: run.params.teacher, embedding: run.params.embedding ?? 'raw' });
    byExperiment[run.experiment] ??= 0;
    if (seen.has(key)) continue;
    seen.add(key);
    const d = inputDim(preset, run.params.embedding);
    let factor = 1;
    if (spec.regularizer === 'feature-matching') factor *= COST_MODEL.featureMatching;
    if (spec.batchFraction !== undefined) factor *= COST_MODEL.sgd;
    if (spec.trainLayers === 'both') factor *= COST_MODEL.bothLayers;
    const s = n * spec.width * spec.steps * (COST_MODEL.aNs + COST_MODEL.bNs * d) * factor * 1e-9;
    byExperiment[run.experiment] += s;
    seconds += s;
  }
  const pool = 2 * preset.teacherPerClass;
  const teachers = preset.teacherQualities.reduce((t, q) => t + pool * q.trainFraction * preset.teacher.hidden * preset.pcaDim * q.steps * COST_MODEL.teacherNs * 1e-9, 0);
  return { seconds: seconds + teachers, byExperiment, distinctRuns: seen.size };
}
