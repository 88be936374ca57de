import { createRng, InvalidOptionError, type Rng } from '@pikt/core';
import type { LabeledData } from '../labeled-data.js';
import { binaryData, checkCount, checkSeed, type SyntheticSplits } from './common.js';

export type TeacherStudentOptions = {
  /** Input dimension (default 10). */
  d?: number;
  /** Teacher width h (default 32; even, so the teacher's mean output is exactly 0). */
  hidden?: number;
  /** Training samples (default 200) and test samples (default 1000). */
  n?: number;
  nTest?: number;
  /** Standard deviation sigma of the Gaussian noise added to the teacher's output (default 0.1). */
  noise?: number;
  /** 'binary': y = sign(f*(x) + sigma eps) in {-1, +1}; 'regression': y = f*(x) + sigma eps (default 'binary'). */
  task?: 'binary' | 'regression';
  seed: number | string;
};

export interface TeacherTruth {
  /** First-layer weights [hidden, d]: Gaussian directions, each row rescaled to norm sqrt(d). */
  w: Float64Array;
  /** Output weights [hidden]: +1 for the first half, -1 for the second. */
  a: Float64Array;
}

/** f*(x) = (1 / sqrt(h)) sum_r a_r relu(w_r . x). */
export function teacherOutput(truth: TeacherTruth, x: ArrayLike<number>, offset: number, d: number): number {
  const h = truth.a.length;
  let f = 0;
  for (let r = 0; r < h; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += truth.w[r * d + j] * x[offset + j];
    if (s > 0) f += truth.a[r] * s;
  }
  return f / Math.sqrt(h);
}

function sample(truth: TeacherTruth, n: number, d: number, sigma: number, task: 'binary' | 'regression', rng: Rng): LabeledData {
  // x uniform on the unit sphere S^{d-1}: a normalized Gaussian vector (the kernel analysis assumes ||x|| = 1).
  const x = rng.child('x').fillNormal(new Float64Array(n * d));
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) x[i * d + j] *= inv;
  }
  const clean = new Float64Array(n);
  const noise = rng.child('noise');
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    clean[i] = teacherOutput(truth, x, i * d, d);
    target[i] = clean[i] + sigma * noise.normal();
  }
  if (task === 'binary') {
    return binaryData(x, n, d, Int32Array.from(target, (t) => (t > 0 ? 1 : 0)), ['negative', 'positive'], { values: clean, dim: 1 });
  }
  return {
    n, d, x: Float32Array.from(x), k: 1, targets: Float32Array.from(target), pi: Float32Array.from(clean), piDim: 1,
    index: Int32Array.from({ length: n }, (_, i) => i),
  };
}

/**
 * Teacher-student data: inputs uniform on the unit sphere, targets from a random two-layer ReLU
 * teacher f*(x) = (1/sqrt(h)) sum_r a_r relu(w_r . x) (w_r Gaussian directions of norm sqrt(d),
 * a balanced in {-1, +1}) plus N(0, sigma^2) noise. For unit x every w_r . x is symmetric with
 * variance 1, so E_x f*(x) = 0 exactly and each term has E relu(w_r . x)^2 = 1/2. The clean teacher
 * output f*(x) is the privileged information (`pi`, piDim 1).
 */
export function teacherStudent(options: TeacherStudentOptions): SyntheticSplits<TeacherTruth> {
  const d = checkCount('d', options.d ?? 10);
  const h = checkCount('hidden', options.hidden ?? 32, 2);
  if (h % 2 !== 0) throw new InvalidOptionError('hidden', h, 'an even integer (balanced output weights)');
  const n = checkCount('n', options.n ?? 200);
  const nTest = checkCount('nTest', options.nTest ?? 1000);
  const sigma = options.noise ?? 0.1;
  if (!(typeof sigma === 'number' && sigma >= 0 && Number.isFinite(sigma))) throw new InvalidOptionError('noise', sigma, 'a number >= 0');
  const task = options.task ?? 'binary';
  if (task !== 'binary' && task !== 'regression') throw new InvalidOptionError('task', task, '"binary" or "regression"');
  const rng = createRng(checkSeed('seed', options.seed));
  // Rows of W rescaled to norm sqrt(d): every w_r . x then has the same distribution for unit x
  // (variance 1, symmetric), so with balanced a the teacher's mean output over the sphere is exactly 0.
  const w = rng.child('teacher').fillNormal(new Float64Array(h * d));
  for (let r = 0; r < h; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += w[r * d + j] ** 2;
    const scale = Math.sqrt(d / s);
    for (let j = 0; j < d; j++) w[r * d + j] *= scale;
  }
  const truth: TeacherTruth = {
    w,
    a: Float64Array.from({ length: h }, (_, r) => (r < h / 2 ? 1 : -1)),
  };
  return {
    train: sample(truth, n, d, sigma, task, rng.child('train')),
    test: sample(truth, nTest, d, sigma, task, rng.child('test')),
    truth,
  };
}
