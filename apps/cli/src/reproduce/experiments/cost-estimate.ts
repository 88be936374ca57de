import { canonicalJson } from '@pikt/core';
import type { StudentRunSpec } from '../run-spec.js';
import type { ResolvedRun } from '../types.js';

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

function inputDim(spec: StudentRunSpec): number {
  const em = spec.embedding;
  if (em.id === 'rff') return em.options.features;
  if (em.id === 'teacher-features') return em.teacher.hidden;
  return spec.task.pcaDim;
}

/** Estimated wall time of a resolved plan on one worker (see COST_MODEL). */
export function estimatePlan(plan: readonly ResolvedRun[]): PlanEstimate {
  const seen = new Set<string>();
  const teachers = new Map<string, number>();
  const byExperiment: Record<string, number> = {};
  let seconds = 0;
  for (const { experiment, spec } of plan) {
    byExperiment[experiment] ??= 0;
    const key = canonicalJson(spec);
    if (seen.has(key)) continue;
    seen.add(key);
    const n = 2 * spec.task.trainPerClass;
    const width = Number(spec.model.options.width);
    let factor = 1;
    if (spec.terms.some((t) => t.id === 'feature-matching')) factor *= COST_MODEL.featureMatching;
    if (spec.optimizer.kind === 'sgd') factor *= COST_MODEL.sgd;
    if (spec.model.options.trainLayers === 'both') factor *= COST_MODEL.bothLayers;
    const s = n * width * spec.steps * (COST_MODEL.aNs + COST_MODEL.bNs * inputDim(spec)) * factor * 1e-9;
    byExperiment[experiment] += s;
    seconds += s;
    for (const t of [spec.teacher, spec.embedding.id === 'teacher-features' ? spec.embedding.teacher : null]) {
      if (t) teachers.set(canonicalJson(t), 2 * spec.task.teacherPerClass * t.trainFraction * t.hidden * spec.task.pcaDim * t.steps * COST_MODEL.teacherNs * 1e-9);
    }
  }
  const teacherSeconds = [...teachers.values()].reduce((a, b) => a + b, 0);
  return { seconds: seconds + teacherSeconds, byExperiment, distinctRuns: seen.size };
}
