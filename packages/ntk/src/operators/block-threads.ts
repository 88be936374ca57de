import { InvalidOptionError, PiktError } from '@pikt/core';
import { PANEL_BAND, panelBlockProduct } from './panel-products.js';

/**
 * Worker threads for the block Gram's products (Node's worker_threads; the shards are shared
 * WebAssembly memories, so a worker instantiates the same SIMD kernels on them and reads the
 * same blocks). Coordination is synchronous: the calling thread posts a job number with
 * Atomics.notify, does its own share of the blocks, then Atomics.waits for each worker's done flag,
 * so `apply` stays a plain function for Lanczos and CG. Each thread accumulates into its own
 * y region; the caller sums them.
 */

/** One block product: 8 integers (shard, ptr, rows, cols, ld, i0, j0, diagonal). */
export const TASK_FIELDS = 8;
/** Added to a job's vector count: run the float32 panel kernels (panel-products.ts). */
export const PANEL_JOB = 8;

export interface WorkerPlan {
  module: WebAssembly.Module;
  memories: WebAssembly.Memory[];
  /** Flat task list for this worker (TASK_FIELDS per block). */
  tasks: Float64Array;
  /** Byte stride between vectors, and per shard the x base and this thread's y base. */
  stride: number;
  xPtr: number[];
  yPtr: number[];
  /** Per shard this thread's float32 scratch (float32 panel products). */
  scratchPtr: number[];
}

export interface BlockWorkers {
  /** Start job `b` (vectors per pass) on every worker; returns the job number. */
  start(b: number): number;
  /** Block until every worker finished `job`. */
  wait(job: number): void;
  readonly count: number;
  terminate(): Promise<void>;
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memories, tasks, stride, xPtr, yPtr, scratchPtr, ctrl, index } = workerData;
const PANEL_BAND = ${PANEL_BAND};
${panelBlockProduct.toString()}
const ex = memories.map((memory) => new WebAssembly.Instance(module, { env: { memory } }).exports);
const c = new Int32Array(ctrl);
let seen = 0;
for (;;) {
  Atomics.wait(c, 0, seen);
  const job = Atomics.load(c, 0);
  if (job < 0) break;
  seen = job;
  try {
  const job1 = Atomics.load(c, 1);
  if (job1 >= ${PANEL_JOB}) {
    const bp = job1 - ${PANEL_JOB};
    for (let t = 0; t < tasks.length; t += ${TASK_FIELDS}) {
      const sh = tasks[t];
      panelBlockProduct(ex[sh], bp, tasks[t + 1], tasks[t + 2], tasks[t + 4], tasks[t + 5], tasks[t + 6], tasks[t + 7], xPtr[sh], yPtr[sh], scratchPtr[sh]);
    }
  } else {
  const b = job1;
  const g = b === 4 ? 'gemvF32_4' : b === 2 ? 'gemvF32_2' : 'gemvF32_1';
  const s = b === 4 ? 'symvF32_4' : b === 2 ? 'symvF32_2' : 'symvF32_1';
  for (let t = 0; t < tasks.length; t += ${TASK_FIELDS}) {
    const sh = tasks[t], ptr = tasks[t + 1], rows = tasks[t + 2], cols = tasks[t + 3], ld = tasks[t + 4], i0 = tasks[t + 5], j0 = tasks[t + 6];
    const k = ex[sh], px = xPtr[sh], py = yPtr[sh];
    if (tasks[t + 7]) k[g](ptr, rows, cols, ld, px + 8 * j0, py + 8 * i0, stride);
    else k[s](ptr, rows, cols, ld, px + 8 * j0, py + 8 * j0, px + 8 * i0, py + 8 * i0, stride);
  }
  }
  } catch (e) {
    Atomics.store(c, 2 + index, -2);
    Atomics.notify(c, 2 + index);
    throw e;
  }
  Atomics.store(c, 2 + index, job);
  Atomics.notify(c, 2 + index);
}
`;

/** Spawn one worker per plan (Node only). */
export async function spawnBlockWorkers(plans: WorkerPlan[]): Promise<BlockWorkers> {
  let wt: typeof import('node:worker_threads');
  try {
    wt = await import('node:worker_threads');
  } catch {
    throw new InvalidOptionError('threads', plans.length + 1, '1 here: worker threads need Node (node:worker_threads)');
  }
  const ctrl = new SharedArrayBuffer(4 * (2 + plans.length));
  const c = new Int32Array(ctrl);
  const workers = plans.map((p, index) => {
    const w = new wt.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: p.module, memories: p.memories, tasks: p.tasks, stride: p.stride, xPtr: p.xPtr, yPtr: p.yPtr, scratchPtr: p.scratchPtr, ctrl, index },
    });
    w.unref(); // an idle worker blocked in Atomics.wait must not keep the process alive
    return w;
  });
  return {
    count: workers.length,
    start(b) {
      Atomics.store(c, 1, b);
      const job = Atomics.add(c, 0, 1) + 1;
      Atomics.notify(c, 0);
      return job;
    },
    wait(job) {
      for (let w = 0; w < workers.length; w++) {
        for (;;) {
          const v = Atomics.load(c, 2 + w);
          if (v === job) break;
          if (v === -2) throw new PiktError('PIKT_NTK_WORKER_FAILED', `Block-product worker ${w} failed.`, 'Run with threads: 1 to see the error in the main thread.');
          Atomics.wait(c, 2 + w, v, 60_000);
        }
      }
    },
    async terminate() {
      Atomics.store(c, 0, -1);
      Atomics.notify(c, 0);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
