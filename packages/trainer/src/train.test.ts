import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng, datasetFromArrays } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, matmul, orthogonalProblem, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { initialParams } from './initial-params.js';
import { createMemoryReporter } from './reporters.js';
import { startRun, train } from './train.js';

beforeAll(async () => { await createCpuBackend().activate(); });

const lambda = 1;
const { n, d, K, s, data, arrays } = orthogonalProblem();
const y = arrays.targets;
const z = arrays.teacherLogits;
const ybar = Array.from(y, (v, i) => (v + lambda * z[i]) / (1 + lambda));
const terms = [{ name: 'label', regularizer: squaredLabel() }, { name: 'pi', regularizer: quadraticPi({ lambda }) }];
const seed = 7;

/** u(0) = X W(0) in float64, W(0) drawn exactly as the trainer draws it. */
function u0For(model: ReturnType<typeof linearModel>): Float64Array {
  const p = initialParams(model, seed, { inputDim: d, outputDim: K });
  const w = p.W.dataSync();
  model.dispose?.(p);
  return matmul(arrays.x, w, n, d, K);
}

/** The closed form u(k) = ybar + r^k (u(0) - ybar). */
function uAt(u0: Float64Array, r: number, k: number): number[] {
  return Array.from(u0, (v, i) => ybar[i] + r ** k * (v - ybar[i]));
}

const half2 = (a: ArrayLike<number>, b: ArrayLike<number>) => { let t = 0; for (let i = 0; i < a.length; i++) t += (a[i] - b[i]) ** 2; return t / 2; };
const norm = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(2 * half2(a, b));

describe('full-batch GD against the closed-form trajectory u(k) - ybar = r^k (u(0) - ybar)', () => {
  const eta = 0.2;
  const r = 1 - eta * (1 + lambda) * s * s; // 0.1: fast, monotone convergence

  for (const vjp of [true, false]) {
    it(`matches every step's label and PI loss, ||W - W(0)||_F and the recorded u (${vjp ? 'vjp' : 'autodiff'})`, async () => {
      const model = linearModel({ vjp, trainable: ['W'] });
      const u0 = u0For(model);
      const reporter = createMemoryReporter();
      const result = await train({
        model, terms, data, reporters: [reporter],
        settings: { seed, optimizer: { kind: 'gd', lr: eta }, steps: 12, recordOutputsAt: [0, 3, 12] },
      });
      expect(result.gradientMode).toBe(vjp ? 'vjp' : 'autodiff');
      expect(result.history).toHaveLength(12);
      for (const rec of result.history) {
        // step k reports the terms at W(k-1) and the distance at W(k).
        const uPrev = uAt(u0, r, rec.step - 1);
        expect(rec.terms.label).toBeCloseTo(half2(uPrev, y), 4);
        expect(rec.terms.pi).toBeCloseTo(lambda * half2(uPrev, z), 4);
        expect(rec.loss).toBeCloseTo(rec.terms.label + rec.terms.pi, 6);
        expect(rec.weightDistance).toBeCloseTo(norm(uAt(u0, r, rec.step), u0) / s, 4);
      }
      const recorded = result.evals.filter((e) => e.outputs);
      expect(recorded.map((e) => e.step)).toEqual([0, 3, 12]);
      for (const e of recorded) {
        const want = uAt(u0, r, e.step);
        e.outputs!.forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
        expect(e.metrics.labelError).toBeCloseTo(norm(want, y), 4);
      }
      // P1: the student converges to ybar; P4: label error alpha ||z - y||.
      expect(norm(recorded[2].outputs!, ybar)).toBeLessThan(1e-5);
      expect(result.finalMetrics.labelError).toBeCloseTo((lambda / (1 + lambda)) * norm(z, y), 4);
      expect(result.finalLoss).toBeCloseTo(half2(ybar, y) + lambda * half2(ybar, z), 4);
      // b is not trainable: untouched.
      expect(Array.from(result.params.b.dataSync())).toEqual([0, 0]);
      expect(reporter.events.map((e) => e.type)).toEqual(['run-start', 'eval-end', ...Array.from({ length: 3 }, () => 'step-end'), 'eval-end',
        ...Array.from({ length: 9 }, () => 'step-end'), 'eval-end', 'run-end']);
      model.dispose?.(result.params);
    });
  }

  it('trains every parameter when the model lists no trainable subset (bias included)', async () => {
    const model = linearModel({ vjp: true });
    const result = await train({ model, terms: [squaredLabel()], data, settings: { seed, optimizer: { kind: 'gd', lr: 0.05 }, steps: 3 } });
    expect(Object.keys(result.history[0].terms)).toEqual(['test-squared-label']);
    expect(Math.max(...Array.from(result.params.b.dataSync(), Math.abs))).toBeGreaterThan(1e-3);
    model.dispose?.(result.params);
  });
});

/** Reference optimizers in float64 on u = X W, L = 1/2 ||u_B - y_B||^2 (the label term only). */
function referenceRun(kind: 'sgd' | 'adam', lr: number, steps: number, batchSize: number, w0: Float32Array): Float64Array {
  const w = Float64Array.from(w0);
  const m = new Float64Array(w.length);
  const v = new Float64Array(w.length);
  const perEpoch = Math.ceil(n / batchSize);
  for (let t = 1; t <= steps; t++) {
    const e = Math.floor((t - 1) / perEpoch);
    const b = (t - 1) % perEpoch;
    const perm = createRng(seed).child('batches').child(e).permutation(n);
    const rows = Array.from(perm.subarray(b * batchSize, Math.min((b + 1) * batchSize, n)));
    const g = new Float64Array(w.length);
    for (const i of rows) {
      for (let j = 0; j < K; j++) {
        let u = 0;
        for (let q = 0; q < d; q++) u += arrays.x[i * d + q] * w[q * K + j];
        const res = u - y[i * K + j];
        for (let q = 0; q < d; q++) g[q * K + j] += arrays.x[i * d + q] * res;
      }
    }
    for (let p = 0; p < w.length; p++) {
      if (kind === 'sgd') { w[p] -= lr * g[p]; continue; }
      m[p] = 0.9 * m[p] + 0.1 * g[p];
      v[p] = 0.999 * v[p] + 0.001 * g[p] * g[p];
      w[p] -= (lr * (m[p] / (1 - 0.9 ** t))) / (Math.sqrt(v[p] / (1 - 0.999 ** t)) + 1e-8);
    }
  }
  return w;
}

describe('mini-batch SGD and Adam against float64 references', () => {
  for (const kind of ['sgd', 'adam'] as const) {
    it(`${kind}: batches follow rng.child('batches').child(epoch).permutation(n), updates match the reference`, async () => {
      const model = linearModel({ vjp: true, trainable: ['W'] });
      const p0 = initialParams(model, seed, { inputDim: d, outputDim: K });
      const w0 = Float32Array.from(p0.W.dataSync());
      model.dispose?.(p0);
      const lr = kind === 'sgd' ? 0.1 : 0.05;
      const result = await train({ model, terms: [squaredLabel()], data, settings: { seed, optimizer: { kind, lr }, batchSize: 3, epochs: 5 } });
      expect(result.steps).toBe(10); // ceil(4 / 3) = 2 updates per epoch
      const want = referenceRun(kind, lr, 10, 3, w0);
      const got = result.params.W.dataSync();
      want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
      model.dispose?.(result.params);
    });
  }

  it('adam: the first update moves each weight by lr * g / (|g| + eps), i.e. by lr', async () => {
    const model = linearModel({ vjp: true, trainable: ['W'] });
    const p0 = initialParams(model, seed, { inputDim: d, outputDim: K });
    const w0 = p0.W.dataSync().slice();
    model.dispose?.(p0);
    const result = await train({ model, terms: [squaredLabel()], data, settings: { seed, optimizer: { kind: 'adam', lr: 0.01 }, steps: 1 } });
    const w1 = result.params.W.dataSync();
    w1.forEach((v, i) => expect(Math.abs(v - w0[i])).toBeCloseTo(0.01, 6));
    model.dispose?.(result.params);
  });
});

describe('event stream', () => {
  it('the async iterator yields run-start, every step-end with its terms, and run-end, then ends', async () => {
    const model = linearModel({ vjp: true });
    const run = startRun({ model, terms, data, settings: { seed, optimizer: { kind: 'gd', lr: 0.1 }, steps: 4, evalEvery: 2 } });
    const seen = [];
    for await (const e of run.events) seen.push(e);
    const result = await run.result;
    expect(seen.map((e) => e.type)).toEqual(['run-start', 'step-end', 'step-end', 'eval-end', 'step-end', 'step-end', 'eval-end', 'run-end']);
    const start = seen[0] as Extract<(typeof seen)[number], { type: 'run-start' }>;
    expect(start).toMatchObject({ runId: result.runId, totalSteps: 4, backend: 'cpu', startStep: 0 });
    expect((start as unknown as { notes: string[] }).notes[0]).toMatch(/vjp/);
    const steps = seen.filter((e) => e.type === 'step-end');
    expect(steps.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    expect(steps.every((e) => Object.keys(e.terms).join() === 'label,pi')).toBe(true);
    const end = seen.at(-1);
    expect(end).toMatchObject({ type: 'run-end', steps: 4, status: 'completed', finalLoss: result.finalLoss });
    // Events are structured-clone safe: plain data only.
    expect(structuredClone(seen)).toEqual(seen);
    model.dispose?.(result.params);
  });

  it('says in run-start that SGD and Adam are outside the theory', async () => {
    const model = linearModel({ vjp: true });
    const reporter = createMemoryReporter();
    const result = await train({ model, terms, data, reporters: [reporter], settings: { seed, optimizer: { kind: 'sgd', lr: 0.1 }, batchSize: 2, steps: 1 } });
    expect((reporter.events[0] as unknown as { notes: string[] }).notes[0]).toMatch(/mini-batch SGD is outside the kernel-regime theory/);
    model.dispose?.(result.params);
  });

  it('errors reach the result, the reporters (run-error) and end the iterator', async () => {
    const model = linearModel({ vjp: true });
    const reporter = createMemoryReporter();
    const run = startRun({ model, terms, data, reporters: [reporter], settings: { seed, optimizer: { kind: 'gd', lr: -1 }, steps: 4 } });
    const seen = [];
    for await (const e of run.events) seen.push(e);
    await expect(run.result).rejects.toThrow('Invalid option "optimizer.lr": got -1. Expected a finite number > 0.');
    expect(seen).toEqual(reporter.events);
    expect(seen).toMatchObject([{ type: 'run-error', code: 'PIKT_INVALID_OPTION', step: 0 }]);
  });
});

describe('AbortSignal', () => {
  it('stops at a step boundary with status aborted and returns the parameters of that step', async () => {
    const model = linearModel({ vjp: true });
    const controller = new AbortController();
    const reporter = createMemoryReporter();
    const stopAt3 = { specificationVersion: 'v1' as const, id: 'stop', onEvent: (e: { type: string; step?: number }) => { if (e.type === 'step-end' && e.step === 3) controller.abort(); } };
    const result = await train({ model, terms, data, reporters: [stopAt3, reporter], signal: controller.signal, settings: { seed, optimizer: { kind: 'gd', lr: 0.2 }, steps: 50 } });
    expect(result.status).toBe('aborted');
    expect(result.steps).toBe(3);
    expect(reporter.events.at(-1)).toMatchObject({ type: 'run-end', status: 'aborted', steps: 3 });
    model.dispose?.(result.params);
  });

  it('an already aborted signal runs no step', async () => {
    const model = linearModel({ vjp: true });
    const result = await train({ model, terms, data, signal: AbortSignal.abort(), settings: { seed, optimizer: { kind: 'gd', lr: 0.2 }, steps: 50 } });
    expect(result).toMatchObject({ status: 'aborted', steps: 0, history: [] });
    model.dispose?.(result.params);
  });
});

describe('validation before any work', () => {
  it('a bad field, bad data or a missing PI input throws before a tensor is made', async () => {
    const model = linearModel({ vjp: true });
    const before = tf.memory().numTensors;
    const base = { seed, optimizer: { kind: 'gd' as const, lr: 0.1 }, steps: 3 };
    await expect(train({ model, terms, data, settings: { ...base, steps: 0 } })).rejects.toThrow('Invalid option "steps": got 0. Expected an integer >= 1 and <= 1000000000.');
    const withTrain = (train: Record<string, unknown>) => datasetFromArrays({ inputDim: d, outputDim: K, train: { x: arrays.x, ...train } });
    const bad = withTrain({ ...arrays, teacherLogits: arrays.teacherLogits.map((v, i) => (i === 5 ? Number.NaN : v)) });
    await expect(train({ model, terms, data: bad, settings: base })).rejects.toThrow('train.teacherLogits contains NaN at index 5.');
    const noTeacher = withTrain({ targets: arrays.targets });
    await expect(train({ model, terms, data: noTeacher, settings: base })).rejects.toThrow('loss term "pi" needs the input "train.teacherLogits"');
    const short = { ...data, spec: { ...data.spec, outputDim: 3 } };
    await expect(train({ model, terms, data: short, settings: base })).rejects.toThrow(/train.targets.*expected \[4, 3\]/);
    await expect(train({ model, terms, data: { train: arrays } as never, settings: base })).rejects.toThrow('Invalid option "data": got {"train":');
    await expect(train({ model, terms, data, settings: { ...base, recordOutputsAt: [2, 9] } })).rejects.toThrow('"recordOutputsAt[1]": got 9. Expected a step in [0, 3]');
    await expect(train({ model, terms: [{ name: 'loss', regularizer: squaredLabel() }], data, settings: base })).rejects.toThrow('"terms[0].name"');
    await expect(train({ model, terms, data, settings: { ...base, checkpointEvery: 2 } })).rejects.toThrow(/no checkpoint store was given/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
