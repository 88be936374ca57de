import * as tf from '@tensorflow/tfjs-core';
import { createRng, datasetFromArrays } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import { structuredNtkAsync } from '@pikt/ntk';
import { labelFit } from '@pikt/regularizers';
import { train } from '@pikt/trainer';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** n unit-norm rows in dimension d (float64) and +-1 labels: the kernel-regime inputs of SCIENCE.md. */
export function benchTask(n: number, d: number): { x: Float64Array; y: Float64Array } {
  const rng = createRng('bench');
  const x = rng.fillNormal(new Float64Array(n * d));
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
    for (let j = 0; j < d; j++) x[i * d + j] /= Math.sqrt(s);
  }
  const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1));
  return { x, y };
}

/**
 * GFLOP/s of an s x s by s x s float32 matMul on the active backend: 2 s^3 flops per product, the
 * median of `repeats` timed products after one warm-up (shader compile, XNNPACK packing). Each
 * timing ends with `await data()` of the product, so a GPU's queued work is counted (the readback
 * of s^2 floats is included: it is part of what a user pays too).
 */
export async function matmulGflops(s: number, repeats: number): Promise<{ gflops: number; ms: number[] }> {
  const rng = createRng(`matmul-${s}`);
  const a = tf.tensor2d(rng.fillNormal(new Float32Array(s * s)), [s, s]);
  const b = tf.tensor2d(rng.fillNormal(new Float32Array(s * s)), [s, s]);
  const once = async () => {
    const start = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    return performance.now() - start;
  };
  try {
    await once();
    const ms: number[] = [];
    for (let r = 0; r < repeats; r++) ms.push(await once());
    return { gflops: (2 * s ** 3) / (median(ms) * 1e6), ms };
  } finally {
    tf.dispose([a, b]);
  }
}

/**
 * Per-step time of full-batch GD on the wide student (the trainer's loop: forward, vjp, update,
 * one read of the loss), from consecutive step-end clocks of one run of repeats + 1 steps, the first
 * (warm-up, setup) dropped.
 */
export async function gdStepMs(task: { x: Float64Array; y: Float64Array }, n: number, d: number, m: number, repeats: number): Promise<number[]> {
  return (await gdStepRun(task, d, m, repeats + 1)).stepMs;
}

/** Settings of the GD-step benchmark's run: its seed fixes W(0) (`initialParams(model, seed, io)` of @pikt/trainer). */
export const GD_BENCH_SETTINGS = { seed: 1, lr: 1e-3 } as const;

/**
 * `steps` full-batch GD steps of the width-m student on L = 1/2 ||u - y||^2 through `train()`: the
 * time between consecutive step-end events (steps - 1 of them: the first step's setup is dropped)
 * and the loss at the final parameters (what a peer doing the same steps from the same W(0) must match).
 * `workers` > 1 shards the student by width over that many threads (the trainer's `workers` setting).
 */
export async function gdStepRun(task: { x: Float64Array; y: Float64Array }, d: number, m: number, steps: number, workers = 1): Promise<{ stepMs: number[]; finalLoss: number }> {
  const model = createWideStudent({ width: m });
  const clocks: number[] = [];
  const result = await train({
    model, terms: [{ name: 'label', regularizer: labelFit({ loss: 'squared' }) }],
    data: datasetFromArrays({ inputDim: d, outputDim: 1, train: { x: task.x, targets: task.y } }),
    // `workers` only when > 1: a trainer without width sharding refuses the field.
    settings: { seed: GD_BENCH_SETTINGS.seed, optimizer: { kind: 'gd', lr: GD_BENCH_SETTINGS.lr }, steps, trackWeightDistance: false, ...(workers > 1 ? { workers } : {}) },
    reporters: [{ specificationVersion: 'v1', id: 'bench', onEvent: (e) => { if (e.type === 'step-end') clocks.push(e.elapsedMs); } }],
    // One read per step: with batched reads (the default 10) step-end events arrive in bursts and
    // their clocks no longer bracket single steps.
    readEvery: 1,
  });
  model.dispose?.(result.params);
  return { stepMs: clocks.slice(1).map((c, i) => c - clocks[i]), finalLoss: result.finalLoss };
}

/** The first layer W [m, d] the Gram benchmark uses: N(0, 1) entries from the seed 'bench-w'. */
export function gramBenchWeights(m: number, d: number): Float32Array {
  return createRng('bench-w').fillNormal(new Float32Array(m * d));
}

/**
 * Time of one empirical NTK Gram H(W) = (X X^T) .* (S S^T) / m of a width-m student at its
 * initialisation (structuredNtk on the active backend, read with await data()), `repeats` times.
 */
export async function gramMs(task: { x: Float64Array }, d: number, m: number, repeats: number): Promise<number[]> {
  const w = gramBenchWeights(m, d);
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) ms.push((await gramOnce(task.x, w, d)).ms);
  return ms;
}

/** One structured NTK Gram of the points x [n, d] at the first layer w [m, d], timed; returns it too. */
export async function gramOnce(x: Float64Array, w: Float32Array, d: number): Promise<{ ms: number; gram: Float64Array }> {
  const start = performance.now();
  const gram = await structuredNtkAsync(x, null, w, { inputDim: d, onWarning: () => undefined });
  return { ms: performance.now() - start, gram: gram.data };
}
