import { describe, expect, it } from 'vitest';
import { combinePredictions } from '@pikt/core';
import { createCliRegistries } from '../registries.js';
import { canonicalJson } from '@pikt/core';
import { EXPERIMENTS } from './experiments/index.js';
import { getPreset } from './presets.js';
import { knobParams, piTerm, resolvePlan, studentRunSpec, taskConfigFor } from './run-spec.js';

const preset = getPreset('tiny');
const task = taskConfigFor(preset, 'mnist');

describe('run specs', () => {
  const plan = resolvePlan(EXPERIMENTS.flatMap((e) => e.plan(preset)), preset, task);
  const e6 = plan.filter((r) => r.experiment === 'E6');

  it('are plain JSON naming models and terms by registry id, resolved as a plugin would be', () => {
    for (const r of plan) expect(JSON.parse(JSON.stringify(r.spec))).toEqual(r.spec);
    const [quad, kl, fm] = e6.map((r) => r.spec);
    expect(quad.terms).toEqual([{ name: 'label', id: 'label-fit', options: { loss: 'squared' } }, { name: 'pi', id: 'quadratic-pi', options: { lambda: preset.lambda } }]);
    expect(kl.terms[1]).toEqual({ name: 'pi', id: 'hinton-kl', options: { weight: preset.lambda, temperature: preset.temperature } });
    expect(fm.terms[1]).toEqual({ name: 'pi', id: 'feature-matching', options: { weight: preset.lambda, projection: 'none' } });
    expect(fm.model).toEqual({ id: 'wide-student', options: { width: preset.width, kappa: preset.kappa, symmetric: true, trainLayers: 'first', features: 'projected', featureDim: preset.teacher.hidden } });
    expect(fm.steps).toBe(Math.max(1, Math.round(preset.steps / 3)));
    const reg = createCliRegistries();
    const predictions = e6.map((r) => combinePredictions(r.spec.terms.map((t) => reg.regularizers.get(t.id)(t.options))));
    expect(predictions[0]).toEqual({ kind: 'quadratic', parts: [{ weight: 1, target: 'targets' }, { weight: preset.lambda, target: 'teacherLogits' }] });
    expect(predictions[1]).toEqual({ kind: 'output-loss' });
    expect(predictions[2]).toEqual({ kind: 'none', reason: 'feature-matching acts on studentFeatures and teacherFeatures, not on the outputs, so the output-space kernel predictor does not apply' });
  });

  it('are equal exactly when the runs are the same run (E1 without teacher is E2 at lambda = 0)', () => {
    const spec = (e: string, l: string) => canonicalJson(plan.find((r) => r.experiment === e && r.label === l)!.spec);
    expect(spec('E1', 'without-teacher')).toBe(spec('E2', 'lambda=0'));
    expect(spec('E1', 'with-teacher')).toBe(spec('E6', 'quadratic'));
    expect(new Set(plan.map((r) => canonicalJson(r.spec))).size).toBe(11);
    expect(plan.find((r) => r.experiment === 'E2' && r.label === 'lambda=0')!.spec.teacher).toBeNull();
  });

  it('keep results.json params as before and reject unknown knobs with the choices', () => {
    expect(knobParams({ lambda: 1, width: 8, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic' })).toEqual({ lambda: 1, alpha: 0.5, width: 8, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic' });
    expect(piTerm('kl-T3', 2, preset)).toEqual({ id: 'hinton-kl', options: { weight: 2, temperature: 3 } });
    expect(() => studentRunSpec(preset, task, { lambda: 1, width: 8, embedding: 'raw', regularizer: 'l1' })).toThrow('Invalid option "regularizer": got "l1". Expected one of quadratic, kl, feature-matching (or kl-T<temperature>).');
    expect(() => studentRunSpec(preset, task, { lambda: 1, width: 8, embedding: 'pixels', regularizer: 'quadratic' })).toThrow('Invalid option "embedding": got "pixels". Expected one of raw, rff, teacher-features.');
  });
});
