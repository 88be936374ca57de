import { DEFAULT_STATE, type DemoState } from './state.js';

/** One click of the paper's story: a state change and the sentence saying what to look at. */
export interface Preset {
  id: string;
  title: string;
  story: string;
  state: Partial<DemoState>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'interpolate', title: 'Student interpolates between PI and data',
    story: 'With lambda = 1 the student converges to ybar = (y + z) / 2: its label error at the end is alpha ||z - y|| (P1, P4). Move lambda and watch the end point slide.',
    state: { dataset: 'moons', n: 200, lambda: 1, regularizer: 'quadratic', width: 8192, step: 1, steps: 150, batch: 0, teacherSteps: 300, teacherFraction: 1, labelNoise: 0 },
  },
  {
    id: 'fewer-iterations', title: 'The teacher cuts the iterations',
    story: 'The teacher\'s outputs lie on the top eigenvectors of Hinf, so ybar is fitted in far fewer steps than y (P6): compare the two iteration counts in the spectrum view.',
    state: { dataset: 'circles', n: 200, lambda: 4, regularizer: 'quadratic', width: 4096, step: 1, steps: 300, batch: 0, teacherSteps: 400, teacherFraction: 1 },
  },
  {
    id: 'weak-teacher', title: 'A weak teacher',
    story: 'A teacher trained on 5 % of its data for 30 steps with 30 % label noise: the student still converges to ybar, and the label error alpha ||z - y|| grows (P4).',
    state: { dataset: 'xor', n: 200, lambda: 2, regularizer: 'quadratic', width: 4096, step: 1, steps: 200, teacherFraction: 0.05, teacherSteps: 30, labelNoise: 0.3 },
  },
  {
    id: 'narrow', title: 'Theory breaks: a narrow student',
    story: 'At m = 16 the empirical kernel is far from Hinf and drifts while training: the measured curve leaves the dashed prediction (P8).',
    state: { dataset: 'moons', n: 200, lambda: 1, regularizer: 'quadratic', width: 16, step: 1, steps: 200, batch: 0 },
  },
  {
    id: 'above-bound', title: 'Theory breaks: a step above the bound',
    story: 'eta (1 + lambda) mu_max = 2.4 exceeds the stability bound 2 / ((1 + lambda) mu_max): the top eigen-direction oscillates and grows (P3) until the trainer\'s divergence check stops the run.',
    state: { dataset: 'moons', n: 200, lambda: 1, regularizer: 'quadratic', width: 2048, step: 2.4, steps: 60, batch: 0 },
  },
  {
    id: 'sgd', title: 'Theory breaks: mini-batch SGD',
    story: 'Mini-batches of 20 make the steps noisy: the GD prediction no longer describes the run, and the demo says so.',
    state: { dataset: 'moons', n: 200, lambda: 1, regularizer: 'quadratic', width: 2048, step: 0.1, steps: 300, batch: 20 },
  },
];

export function applyPreset(current: DemoState, preset: Preset): DemoState {
  return { ...DEFAULT_STATE, seed: current.seed, backend: current.backend, mode: current.mode, ...preset.state };
}
