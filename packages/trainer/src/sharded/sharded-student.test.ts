import { createRng } from '@pikt/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBundledShardWorker } from '../../test-support/shard-worker.js';
import { liveShardThreads } from './node-shard-transport.js';
import { startShardedStudent, ShardWorkerError, type ShardedStudentSpec } from './sharded-student.js';

beforeAll(async () => { await useBundledShardWorker(); });
afterAll(() => { expect(liveShardThreads()).toBe(0); });

const n = 64;
const d = 16;
const m = 512;
const K = 2;

/** An unsymmetric student (so u(0) != 0) on Gaussian inputs, and targets for L = 1/2 ||u - y||^2. */
function problem(seed = 1) {
  const rng = createRng(seed);
  const x = rng.child('x').fillNormal(new Float32Array(n * d), 0, 1 / Math.sqrt(d));
  const W = rng.child('W').fillNormal(new Float32Array(m * d));
  const a = Float32Array.from({ length: m * K }, (_, i) => ((rng.nextUint32() & 1) === 1 ? 1 : -1) * (i >= 0 ? 1 : 1));
  const y = rng.child('y').fillNormal(new Float32Array(n * K));
  return { x, W, a, y };
}

/** u = (1/sqrt(m)) relu(X W^T) a and one GD step on 1/2 ||u - y||^2, in float64. */
function referenceStep(x: Float32Array, W: Float64Array, a: Float32Array, y: Float32Array, lr: number, rows?: Int32Array) {
  const idx = rows ? Array.from(rows) : Array.from({ length: n }, (_, i) => i);
  const b = idx.length;
  const s = 1 / Math.sqrt(m);
  const H = new Float64Array(b * m);
  const u = new Float64Array(b * K);
  idx.forEach((row, i) => {
    for (let r = 0; r < m; r++) {
      let h = 0;
      for (let j = 0; j < d; j++) h += W[r * d + j] * x[row * d + j];
      H[i * m + r] = h;
      if (h > 0) for (let c = 0; c < K; c++) u[i * K + c] += s * a[r * K + c] * h;
    }
  });
  const next = Float64Array.from(W);
  idx.forEach((row, i) => {
    for (let r = 0; r < m; r++) {
      if (H[i * m + r] <= 0) continue;
      let ga = 0;
      for (let c = 0; c < K; c++) ga += (u[i * K + c] - y[row * K + c]) * a[r * K + c];
      for (let j = 0; j < d; j++) next[r * d + j] -= lr * s * ga * x[row * d + j];
    }
  });
  return { u, W: next };
}

const relErr = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  let num = 0; let den = 0;
  for (let i = 0; i < want.length; i++) { num += (got[i] - want[i]) ** 2; den += want[i] ** 2; }
  return Math.sqrt(num / den);
};

function spec(workers: number, p: ReturnType<typeof problem>, extra: Partial<ShardedStudentSpec> = {}): ShardedStudentSpec {
  return { workers, width: m, inputDim: d, outputDim: K, W: p.W, a: p.a, trainLayers: 'first', blockSize: 96, splits: { train: p.x }, backend: 'wasm', ...extra };
}

describe('sharded wide student (2 worker threads, wasm)', () => {
  it('forward and 20 GD steps equal a float64 reference within 1e-5 relative', async () => {
    const p = problem();
    const eng = await startShardedStudent(spec(2, p));
    try {
      expect(eng.backend).toBe('wasm');
      let W = Float64Array.from(p.W);
      for (let step = 0; step < 20; step++) {
        const ref = referenceStep(p.x, W, p.a, p.y, 0.5);
        const u = await eng.forward('train', { keep: true });
        expect(relErr(u, ref.u)).toBeLessThan(1e-5);
        await eng.update(Float32Array.from(u, (v, i) => v - p.y[i]), 0.5);
        W = ref.W;
      }
      expect(relErr((await eng.params()).W, W)).toBeLessThan(1e-5);
    } finally {
      await eng.close();
    }
    expect(liveShardThreads()).toBe(0);
  });
});
