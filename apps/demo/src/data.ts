import { createRng, PiktError } from '@pikt/core';
import { lupiSynthetic, parseCsv, toy2d } from '@pikt/datasets';
import { withLabelNoise } from '@pikt/models';
import type { DemoState } from './state.js';

/**
 * One task as the worker trains it: the student's inputs (unit rows, as the kernel analysis assumes),
 * the teacher's own pool (disjoint from the student's samples, so z on the student's inputs are
 * genuine predictions) and, for 2-D sets, the raw plane coordinates for the decision-region view.
 */
export interface Task {
  name: string;
  n: number; d: number; x: Float64Array; y: Float64Array;
  nTest: number; xTest: Float64Array; yTest: Float64Array;
  /** Teacher's training pool (inputs in the teacher's own feature space, width teacherDim). */
  teacherDim: number; nPool: number; xPool: Float64Array; yPool: Float64Array;
  /** The teacher's view of the student's train and test samples (x itself, or privileged x* for LUPI). */
  teacherX: Float64Array; teacherXTest: Float64Array;
  /** 2-D sets: raw coordinates of the train points, and how a plane point becomes a student / teacher input. */
  plane?: { train: Float64Array; lift: (p: Float64Array) => Float64Array; liftTeacher: (p: Float64Array) => Float64Array };
  notes: string[];
}

/** An image class pair shipped as a static asset: PCA coordinates (float32) and +-1 labels. */
export interface PairAsset {
  name: string; dim: number;
  train: { x: Float32Array; y: Float32Array }; test: { x: Float32Array; y: Float32Array };
}

/**
 * x -> (x, 1) / ||(x, 1)||: puts points of R^d on the unit sphere of R^(d+1) without losing any
 * (the map is injective), so the kernel-regime analysis (||x_i|| = 1) applies to plane data.
 */
export function liftToSphere(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(n * (d + 1));
  for (let i = 0; i < n; i++) {
    let s = 1;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    const r = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) out[i * (d + 1) + j] = x[i * d + j] * r;
    out[i * (d + 1) + d] = r;
  }
  return out;
}

/** Rows scaled to unit norm (image pairs after PCA); zero rows stay zero. */
export function unitRows(x: ArrayLike<number>, n: number, d: number, keep = d): Float64Array {
  const out = new Float64Array(n * keep);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < keep; j++) s += x[i * d + j] ** 2;
    const r = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < keep; j++) out[i * keep + j] = x[i * d + j] * r;
  }
  return out;
}

const rowsOf = (x: ArrayLike<number>, d: number, from: number, to: number) => Float64Array.from({ length: (to - from) * d }, (_, i) => x[from * d + i]);

function noisyLabels(y: Float64Array, rate: number, seed: number): Float64Array {
  if (rate <= 0) return y;
  const labels = Int32Array.from(y, (v) => (v > 0 ? 1 : 0));
  const flipped = withLabelNoise(labels, 2, rate, createRng(seed).child('label-noise')).classIds;
  return Float64Array.from(flipped, (l) => 2 * l - 1);
}

function planeTask(state: DemoState): Task {
  const n = state.n;
  if (state.dataset === 'lupi') {
    // Lopez-Paz et al.'s "clean features" problem in the plane: x = x* + eps, y = 1[<alpha, x*> > 0];
    // the teacher learns from the clean x* (privileged), the student only sees the noisy x.
    const s = lupiSynthetic({ setting: 'clean-features', d: 2, n: 2 * n, nTest: n, relevant: 1, seed: state.seed });
    const tr = s.train; const te = s.test;
    const xs = Float64Array.from(tr.x); const pis = Float64Array.from(tr.pi as Float32Array);
    const lift = (p: Float64Array) => liftToSphere(p, p.length / 2, 2);
    return {
      name: 'LUPI clean features (teacher sees x*)', n, d: 3,
      x: lift(rowsOf(xs, 2, 0, n)), y: Float64Array.from(tr.targets.subarray(0, n)),
      nTest: n, xTest: lift(Float64Array.from(te.x)), yTest: Float64Array.from(te.targets),
      teacherDim: 3, nPool: n, xPool: lift(rowsOf(pis, 2, n, 2 * n)), yPool: noisyLabels(Float64Array.from(tr.targets.subarray(n)), state.labelNoise, state.seed),
      teacherX: lift(rowsOf(pis, 2, 0, n)), teacherXTest: lift(Float64Array.from(te.pi as Float32Array)),
      plane: { train: rowsOf(xs, 2, 0, n), lift, liftTeacher: lift },
      notes: ['The teacher is trained on the privileged clean features x*; its regions are drawn in x* coordinates.'],
    };
  }
  const shape = state.dataset === 'xor' ? 'xor' : state.dataset === 'circles' ? 'circles' : 'moons';
  const s = toy2d({ shape, n: 2 * n, nTest: n, noise: state.noise, seed: state.seed });
  const xs = Float64Array.from(s.train.x);
  const lift = (p: Float64Array) => liftToSphere(p, p.length / 2, 2);
  const x = lift(rowsOf(xs, 2, 0, n));
  const xTest = lift(Float64Array.from(s.test.x));
  return {
    name: { moons: 'two moons', circles: 'circles', xor: 'XOR Gaussians' }[shape], n, d: 3, x, y: Float64Array.from(s.train.targets.subarray(0, n)),
    nTest: n, xTest, yTest: Float64Array.from(s.test.targets),
    teacherDim: 3, nPool: n, xPool: lift(rowsOf(xs, 2, n, 2 * n)), yPool: noisyLabels(Float64Array.from(s.train.targets.subarray(n)), state.labelNoise, state.seed),
    teacherX: x, teacherXTest: xTest,
    plane: { train: rowsOf(xs, 2, 0, n), lift, liftTeacher: lift },
    notes: ['Plane points are lifted to the unit sphere, x -> (x, 1) / ||(x, 1)||, so ||x_i|| = 1 as the theory assumes.'],
  };
}

/**
 * An image pair: the first n shipped training rows for the student, the rest for the teacher's pool,
 * the first n test rows for testing; the first `dim` PCA coordinates, rows unit-normalized.
 */
function pairTask(state: DemoState, asset: PairAsset): Task {
  const dim = Math.min(state.dim, asset.dim);
  const total = asset.train.y.length;
  const n = Math.min(state.n, Math.floor(total / 2));
  const nTest = Math.min(state.n, asset.test.y.length);
  const all = unitRows(asset.train.x, total, asset.dim, dim);
  const x = all.subarray(0, n * dim);
  const xTest = unitRows(asset.test.x, nTest, asset.dim, dim);
  const notes = [`${asset.name}: PCA to ${dim} dimensions (fitted by the asset script on its own training rows), rows unit-normalized.`];
  if (n < state.n) notes.push(`Only ${total} training rows ship with the demo: n = ${n} (the other half is the teacher's pool).`);
  return {
    name: asset.name, n, d: dim, x: Float64Array.from(x), y: Float64Array.from(asset.train.y.subarray(0, n)),
    nTest, xTest, yTest: Float64Array.from(asset.test.y.subarray(0, nTest)),
    teacherDim: dim, nPool: total - n, xPool: Float64Array.from(all.subarray(n * dim)), yPool: noisyLabels(Float64Array.from(asset.train.y.subarray(n)), state.labelNoise, state.seed),
    teacherX: Float64Array.from(x), teacherXTest: xTest, notes,
  };
}

/** Fisher-Yates permutation from the seed. */
function permutation(n: number, seed: number): Int32Array {
  const rng = createRng(seed).child('csv-split');
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

/**
 * A user's CSV: numeric feature columns, the last column the class (two classes: 0/1, -1/1 or two
 * names). Rows are shuffled by the seed and split into student train (40 %), teacher pool (40 %) and
 * test (20 %); inputs lifted to the sphere like the plane sets. Errors name the line and column.
 */
export function csvTask(text: string, state: DemoState, file = 'CSV'): Task {
  const t = parseCsv(text, { labelColumn: -1 }, file);
  if (t.numClasses !== 2 && !(t.classNames && t.classNames.length === 2)) {
    throw new PiktError('PIKT_CSV_CLASSES', `${file}: the last column holds ${t.classNames?.length ?? t.numClasses} classes (${(t.classNames ?? []).slice(0, 5).join(', ')}); the demo needs exactly 2.`,
      'Put a binary label (0/1, -1/1 or two names) in the last column.');
  }
  if (t.n < 10) throw new PiktError('PIKT_CSV_ROWS', `${file}: ${t.n} data rows; the demo needs at least 10.`, 'Add rows (train, teacher and test splits are drawn from them).');
  const names = t.classNames ?? ['0', '1'];
  const neg = names.includes('-1') ? names.indexOf('-1') : 0;
  const yAll = Float64Array.from(t.classIds as Int32Array, (l) => (l === neg ? -1 : 1));
  const d = t.d;
  const lifted = liftToSphere(t.x, t.n, d);
  const perm = permutation(t.n, state.seed);
  const nTr = Math.max(2, Math.floor(0.4 * t.n));
  const nPool = Math.max(2, Math.floor(0.4 * t.n));
  const nTe = t.n - nTr - nPool;
  const pick = (from: number, count: number, src: Float64Array, w: number) => {
    const out = new Float64Array(count * w);
    for (let r = 0; r < count; r++) for (let j = 0; j < w; j++) out[r * w + j] = src[perm[from + r] * w + j];
    return out;
  };
  const x = pick(0, nTr, lifted, d + 1);
  const xTest = pick(nTr + nPool, nTe, lifted, d + 1);
  const task: Task = {
    name: `${file} (${t.n} rows, ${d} features)`, n: nTr, d: d + 1, x, y: pick(0, nTr, yAll, 1),
    nTest: nTe, xTest, yTest: pick(nTr + nPool, nTe, yAll, 1),
    teacherDim: d + 1, nPool, xPool: pick(nTr, nPool, lifted, d + 1), yPool: noisyLabels(pick(nTr, nPool, yAll, 1), state.labelNoise, state.seed),
    teacherX: x, teacherXTest: xTest,
    notes: [`CSV: ${t.n} rows split 40/40/20 into student, teacher pool and test by the seed; inputs lifted to the unit sphere.`],
  };
  if (d === 2) {
    const lift = (p: Float64Array) => liftToSphere(p, p.length / 2, 2);
    task.plane = { train: pick(0, nTr, t.x, 2), lift, liftTeacher: lift };
  }
  return task;
}

export function buildTask(state: DemoState, assets: { pair?: PairAsset; csvText?: string; csvName?: string }): Task {
  if (state.dataset === 'mnist' || state.dataset === 'fashion') {
    if (!assets.pair) throw new PiktError('PIKT_NO_ASSET', `The ${state.dataset} asset is not loaded.`, 'Reload the page.');
    return pairTask(state, assets.pair);
  }
  if (state.dataset === 'csv') {
    if (assets.csvText === undefined) throw new PiktError('PIKT_NO_CSV', 'No CSV loaded.', 'Choose a CSV file first.');
    return csvTask(assets.csvText, state, assets.csvName);
  }
  return planeTask(state);
}
