import { InvalidOptionError } from '@pikt/core';
import type { JsonObject } from '@pikt/core';

export const PRESET_NAMES = ['tiny', 'quick', 'full'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** A teacher of controlled quality (E3): trained on a fraction of the training set for some steps. */
export type TeacherQuality = {
  label: string;
  trainFraction: number;
  steps: number;
};

/** Sizes of a reproduce run. Plain JSON: it is recorded in results.json's config. */
export interface Preset extends JsonObject {
  name: PresetName;
  classes: [number, number];
  trainPerClass: number;
  testPerClass: number;
  /** Per class, the teachers' own training pool (disjoint from the student's samples). */
  teacherPerClass: number;
  pcaDim: number;
  /** Student width m for E1-E4 and E6. */
  width: number;
  /** Widths of the E5 sweep. */
  widths: number[];
  kappa: number;
  /** PI weight lambda for E1, E3, E4, E6. */
  lambda: number;
  /** The E2 sweep. */
  lambdas: number[];
  /** Full-batch GD steps of every student run, at effective step eta (1 + lambda) = stepScale / mu_max. */
  steps: number;
  stepScale: number;
  /** Target of iterations-to-eps (P6): ||u(k) - ybar|| <= eps ||ybar - u(0)||. */
  eps: number;
  teacher: { hidden: number; steps: number; lr: number };
  teacherQualities: TeacherQuality[];
  rffDim: number;
  /** Temperature of the KL regularizer in E6. */
  temperature: number;
  seed: number;
  /** Student initializations E1 and E5 repeat over (seed 0 is the run without a seed suffix). */
  seeds: number;
  /** Widths of E7's narrow-width sweep, where the theory is expected to stop predicting. */
  narrowWidths: number[];
}

const BASE = { classes: [3, 5] as [number, number], kappa: 1, stepScale: 1, temperature: 2, seed: 2022 };

/**
 * tiny: seconds, for tests. quick: the default, within 10 minutes on 2 cores. full: larger n and
 * widths (its wall time is stated in the README).
 */
export const PRESETS: Record<PresetName, Preset> = {
  tiny: {
    ...BASE, name: 'tiny', trainPerClass: 12, testPerClass: 12, teacherPerClass: 24, pcaDim: 8, width: 512, widths: [128, 512, 2048],
    lambda: 1, lambdas: [0, 1, 4], steps: 60, eps: 0.1,
    seeds: 2, narrowWidths: [16, 64],
    teacher: { hidden: 32, steps: 60, lr: 0.01 },
    teacherQualities: [{ label: 'weak', trainFraction: 0.25, steps: 10 }, { label: 'strong', trainFraction: 1, steps: 60 }],
    rffDim: 32,
  },
  quick: {
    ...BASE, name: 'quick', trainPerClass: 100, testPerClass: 250, teacherPerClass: 400, pcaDim: 32, width: 2048, widths: [512, 2048, 8192],
    lambda: 1, lambdas: [0, 0.25, 1, 4], steps: 300, eps: 0.05,
    seeds: 3, narrowWidths: [16, 64, 256],
    teacher: { hidden: 128, steps: 300, lr: 0.01 },
    teacherQualities: [
      { label: 'weak', trainFraction: 0.02, steps: 20 },
      { label: 'medium', trainFraction: 0.1, steps: 100 },
      { label: 'strong', trainFraction: 1, steps: 300 },
    ],
    rffDim: 256,
  },
  // Sized to finish within 60 minutes on 2 cores (estimate ~42 min on one worker from the quick
  // preset's measured step rates; README "Presets"). Cut from the first full preset: n 1000 -> 400,
  // m 8192 -> 4096, 1000 -> 500 steps, PCA 64 -> 32, RFF 1024 -> 256, teacher 256 -> 128 hidden units.
  full: {
    ...BASE, name: 'full', trainPerClass: 200, testPerClass: 500, teacherPerClass: 1000, pcaDim: 32, width: 4096, widths: [1024, 4096, 16384],
    lambda: 1, lambdas: [0, 0.25, 1, 4, 16], steps: 500, eps: 0.02,
    seeds: 5, narrowWidths: [16, 64, 256],
    teacher: { hidden: 128, steps: 1000, lr: 0.01 },
    teacherQualities: [
      { label: 'weak', trainFraction: 0.02, steps: 50 },
      { label: 'medium', trainFraction: 0.2, steps: 300 },
      { label: 'strong', trainFraction: 1, steps: 1000 },
    ],
    rffDim: 256,
  },
};

export function getPreset(name: string): Preset {
  const p = PRESETS[name as PresetName];
  if (!p) throw new InvalidOptionError('preset', name, `one of ${PRESET_NAMES.join(', ')}`);
  return structuredClone(p);
}
