import { createRng } from '@pikt/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBundledShardWorker } from '../../test-support/shard-worker.js';
import { liveShardThreads } from './node-shard-transport.js';
import type { ShardReply, ShardRequest } from './shard-protocol.js';
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
  const a = Float32Array.from({ length: m * K }, () => ((rng.nextUint32() & 1) === 1 ? 1 : -1));
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

describe('sharded wide student: layout, equality across worker counts, failures', () => {
  it('planShards gives each shard the same slice of both halves, covering every neuron once', async () => {
    const { planShards } = await import('./shard-plan.js');
    expect(planShards(10, 2)).toEqual([
      [{ start: 0, size: 2, half: 0 }, { start: 5, size: 2, half: 1 }],
      [{ start: 2, size: 3, half: 0 }, { start: 7, size: 3, half: 1 }],
    ]);
    expect(planShards(7, 3).flat().map((s) => [s.start, s.size])).toEqual([[0, 1], [4, 1], [1, 1], [5, 1], [2, 2], [6, 1]]);
  });

  it('SGD rows: 1, 2 and 3 workers give the same u and W within 1e-6 relative', async () => {
    const p = problem(2);
    const rows = Int32Array.from([5, 0, 63, 17, 17, 40]);
    const results: Array<{ u: Float32Array; W: Float32Array }> = [];
    for (const workers of [1, 2, 3]) {
      const eng = await startShardedStudent(spec(workers, p));
      try {
        const u = await eng.forward('train', { rows, keep: true });
        await eng.update(Float32Array.from(u, (v, i) => v - p.y[rows[Math.floor(i / K)] * K + (i % K)]), 0.5);
        results.push({ u, W: (await eng.params()).W });
      } finally {
        await eng.close();
      }
    }
    const ref = referenceStep(p.x, Float64Array.from(p.W), p.a, p.y, 0.5, rows);
    for (const r of results) {
      expect(relErr(r.u, ref.u)).toBeLessThan(1e-6);
      expect(relErr(r.W, ref.W)).toBeLessThan(1e-6);
    }
  });

  it('a shard that fails names its index, rejects the call as a PiktError and stops every thread', async () => {
    // Shard 1's channel asks for a split that shard does not hold, so only shard 1 fails.
    const { createNodeShardTransport } = await import('./node-shard-transport.js');
    const node = createNodeShardTransport();
    const transport = {
      async spawn(index: number) {
        const ch = await node.spawn(index);
        return { ...ch, post: (msg: ShardRequest | ShardReply, transfer?: ArrayBuffer[]) => ch.post(index === 1 && msg.type === 'forward' ? { ...msg, split: 'nope' } : msg, transfer) };
      },
    };
    const eng = await startShardedStudent(spec(2, problem(), { transport }));
    const err = await eng.forward('train').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShardWorkerError);
    expect((err as ShardWorkerError).code).toBe('PIKT_SHARD_FAILED');
    expect((err as ShardWorkerError).worker).toBe(1);
    expect((err as ShardWorkerError).message).toBe('Shard worker 1 failed: shard has no split "nope" (known: train). Every shard thread has been stopped. Fix the cause above, or train with workers: 1 to run in the main thread.');
    await expect(eng.params()).rejects.toBe(err);
    await eng.close();
    expect(liveShardThreads()).toBe(0);
  });

  it('threads that cannot start (a missing entry module) fail the start, naming the module and the fix', async () => {
    const { createNodeShardTransport } = await import('./node-shard-transport.js');
    const transport = createNodeShardTransport(new URL('./no-such-worker.mjs', import.meta.url));
    await expect(startShardedStudent(spec(2, problem(), { transport }))).rejects.toThrow(/^Shard worker [01] failed: Cannot find module '[^']*no-such-worker.mjs'.* \(the shard thread module file:[^;]*no-such-worker.mjs; build @pikt\/trainer, or set PIKT_SHARD_WORKER to a bundled node-shard-worker.ts\)\. Every shard thread has been stopped/);
    expect(liveShardThreads()).toBe(0);
  });
});

describe('createWebWorkerShardTransport', () => {
  it('drives shards through the Web Worker interface (here Web-Worker-shaped wrappers of Node threads) with the same numbers', async () => {
    const { Worker } = await import('node:worker_threads');
    const { createWebWorkerShardTransport } = await import('./web-shard-transport.js');
    const threads: InstanceType<typeof Worker>[] = [];
    const transport = createWebWorkerShardTransport(() => {
      const w = new Worker(process.env.PIKT_SHARD_WORKER as string);
      threads.push(w);
      return {
        postMessage: (m, t) => w.postMessage(m, t as ArrayBuffer[]),
        addEventListener: (type, listener) => {
          if (type === 'message') w.on('message', (data) => listener({ data }));
          else if (type === 'error') w.on('error', (err) => listener({ message: err.message }));
        },
        terminate: () => { void w.terminate(); },
      };
    });
    const p = problem(4);
    const eng = await startShardedStudent(spec(2, p, { transport }));
    const u = await eng.forward('train');
    await eng.close();
    const ref = referenceStep(p.x, Float64Array.from(p.W), p.a, p.y, 0);
    expect(relErr(u, ref.u)).toBeLessThan(1e-6);
    await Promise.all(threads.map((w) => new Promise((resolve) => { w.once('exit', resolve); if (w.threadId < 0) resolve(0); })));
  });
});
