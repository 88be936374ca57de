/**
 * The demo's whole state: every control, as a flat JSON object that round-trips through the URL's
 * query string (short keys). The seed plus this state reproduce a run's numbers on the same backend.
 */

export const DATASETS = ['moons', 'circles', 'xor', 'lupi', 'mnist', 'fashion', 'csv'] as const;
export type DatasetId = (typeof DATASETS)[number];
export const REGULARIZERS = ['quadratic', 'kl', 'feature', 'none'] as const;
export type RegularizerId = (typeof REGULARIZERS)[number];
export const TEACHER_KINDS = ['mlp', 'narrow-mlp'] as const;
export type TeacherKind = (typeof TEACHER_KINDS)[number];
export const BACKENDS = ['wasm', 'webgl', 'webgpu'] as const;
export type BackendId = (typeof BACKENDS)[number];
export const MODES = ['live', 'predict'] as const;
export type Mode = (typeof MODES)[number];

export interface DemoState {
  dataset: DatasetId;
  /** Student training samples (the test set has as many; 2-D sets and image pairs). */
  n: number;
  /** Input dimension after PCA (image pairs only; at most 64). */
  dim: number;
  /** Noise of the 2-D generators. */
  noise: number;
  teacher: TeacherKind;
  /** Teacher quality: fraction of its own pool it trains on, its Adam steps, its label-noise rate. */
  teacherFraction: number;
  teacherSteps: number;
  labelNoise: number;
  /** PI weight lambda >= 0; alpha = lambda / (1 + lambda). */
  lambda: number;
  regularizer: RegularizerId;
  temperature: number;
  /** Student width m (even). */
  width: number;
  /**
   * Step as eta (1 + lambda) mu_max: 1 is half the stability bound 2 / ((1 + lambda) mu_max), 2 is the
   * bound itself (the learning rate eta shown beside it is derived from the data's mu_max).
   */
  step: number;
  steps: number;
  /** 0: full-batch GD (the theory's setting); otherwise mini-batch SGD with this batch size. */
  batch: number;
  seed: number;
  backend: BackendId;
  mode: Mode;
}

export const DEFAULT_STATE: Readonly<DemoState> = Object.freeze({
  dataset: 'moons', n: 200, dim: 32, noise: 0.1,
  teacher: 'mlp', teacherFraction: 1, teacherSteps: 300, labelNoise: 0,
  lambda: 1, regularizer: 'quadratic', temperature: 4,
  width: 2048, step: 1, steps: 200, batch: 0, seed: 1,
  backend: 'wasm', mode: 'live',
});

type NumField = { key: string; min: number; max: number; int: boolean };
const NUM: Record<string, NumField> = {
  n: { key: 'n', min: 8, max: 1000, int: true },
  dim: { key: 'd', min: 2, max: 64, int: true },
  noise: { key: 'nz', min: 0, max: 1, int: false },
  teacherFraction: { key: 'tf', min: 0.02, max: 1, int: false },
  teacherSteps: { key: 'ts', min: 1, max: 5000, int: true },
  labelNoise: { key: 'ln', min: 0, max: 0.5, int: false },
  lambda: { key: 'l', min: 0, max: 100, int: false },
  temperature: { key: 'T', min: 0.1, max: 50, int: false },
  width: { key: 'm', min: 2, max: 16384, int: true },
  step: { key: 's', min: 0.01, max: 4, int: false },
  steps: { key: 'k', min: 1, max: 5000, int: true },
  batch: { key: 'b', min: 0, max: 1000, int: true },
  seed: { key: 'seed', min: 0, max: 2 ** 31 - 1, int: true },
};
const ENUM: Record<string, { key: string; values: readonly string[] }> = {
  dataset: { key: 'ds', values: DATASETS },
  teacher: { key: 't', values: TEACHER_KINDS },
  regularizer: { key: 'r', values: REGULARIZERS },
  backend: { key: 'be', values: BACKENDS },
  mode: { key: 'mode', values: MODES },
};

/** Clamp every field into its range (integers rounded, width made even); unknown values fall back to defaults. */
export function normalizeState(s: Partial<DemoState>): DemoState {
  const out: Record<string, unknown> = { ...DEFAULT_STATE };
  for (const [field, f] of Object.entries(NUM)) {
    const v = (s as Record<string, unknown>)[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    let x = Math.min(f.max, Math.max(f.min, v));
    if (f.int) x = Math.round(x);
    out[field] = x;
  }
  for (const [field, e] of Object.entries(ENUM)) {
    const v = (s as Record<string, unknown>)[field];
    if (typeof v === 'string' && e.values.includes(v)) out[field] = v;
  }
  const st = out as unknown as DemoState;
  st.width = Math.max(2, st.width - (st.width % 2)); // symmetric init pairs neurons
  return st;
}

/** The query string of a state: only fields that differ from the defaults, in a fixed order. */
export function encodeState(s: DemoState): string {
  const q = new URLSearchParams();
  for (const field of Object.keys(DEFAULT_STATE) as (keyof DemoState)[]) {
    if (s[field] === DEFAULT_STATE[field]) continue;
    const key = NUM[field]?.key ?? ENUM[field]?.key;
    q.set(key, String(s[field]));
  }
  return q.toString();
}

/** Parse a query string (with or without "?"); bad or missing values take their defaults. */
export function decodeState(query: string): DemoState {
  const q = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const raw: Record<string, unknown> = {};
  for (const [field, f] of Object.entries(NUM)) {
    const v = q.get(f.key);
    if (v !== null && v.trim() !== '') raw[field] = Number(v);
  }
  for (const [field, e] of Object.entries(ENUM)) {
    const v = q.get(e.key);
    if (v !== null) raw[field] = v;
  }
  return normalizeState(raw as Partial<DemoState>);
}

/** alpha = lambda / (1 + lambda): the weight of z in the interpolated target ybar = (1 - alpha) y + alpha z. */
export function alphaOf(lambda: number): number {
  return lambda / (1 + lambda);
}

/** P3: eta = step / (c mu_max) with c = curvature (1 + lambda for quadratic PI); stable iff eta < 2 / (c mu_max), i.e. step < 2. */
export function learningRate(step: number, c: number, muMax: number): { eta: number; bound: number; stable: boolean } {
  const bound = 2 / (c * muMax);
  return { eta: step / (c * muMax), bound, stable: step < 2 };
}

/**
 * The curvature factor c of the output-space loss, so GD's bound is eta < 2 / (c mu_max):
 * quadratic PI: c = 1 + lambda; temperature KL: its T^2-scaled Hessian in u is lambda sigma'(u/T) <= lambda / 4,
 * so c <= 1 + lambda / 4; feature matching and none act on the outputs through the label term only: c = 1.
 */
export function curvature(s: Pick<DemoState, 'lambda' | 'regularizer'>): number {
  if (s.regularizer === 'quadratic') return 1 + s.lambda;
  if (s.regularizer === 'kl') return 1 + s.lambda / 4;
  return 1;
}
