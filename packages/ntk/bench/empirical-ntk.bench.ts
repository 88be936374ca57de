/**
 * Benchmark: the empirical NTK Gram H(W) = (X X^T) .* (S S^T) / m of the n=2000 d=784 m=8192 student
 * (issue 15, workload b) on the wasm backend, one thread:
 *   before  S S^T as float32 matmuls of 0/1 tensors in tfjs blocks (the implementation up to 0.x),
 *   after   structuredNtkAsync: signs bit-packed, S S^T by popcount (wasm SIMD),
 * alternated, median of 5; then where the time goes (X W^T GEMM + readback, packing, popcount per
 * kernel, X X^T), and the drift from a GD step's own pre-activations against that step's time.
 * Usage: node empirical-ntk.mjs [n] [d] [m] (default 2000 784 8192).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createWasmBackend } from '@pikt/backend-wasm';
import { createRng } from '@pikt/core';
import { createPopcountGram, gramF64, packSigns } from '@pikt/linalg';
import { createKernelDriftTracker, structuredNtkAsync } from '../src/index.js';
import { innerProducts } from '../src/kernels/inner-products.js';

const [n, d, m] = [2000, 784, 8192].map((v, i) => Number(process.argv[2 + i] ?? v));
const reps = Number(process.env.PIKT_BENCH_REPS ?? 5);
await createWasmBackend().activate();
const rng = createRng('bench-ntk');
const x = rng.child('x').fillNormal(new Float32Array(n * d));
for (let i = 0; i < n; i++) {
  let s = 0;
  for (let k = 0; k < d; k++) s += x[i * d + k] ** 2;
  for (let k = 0; k < d; k++) x[i * d + k] /= Math.sqrt(s);
}
const w = rng.child('w').fillNormal(new Float32Array(m * d));
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const ms = async (f: () => unknown): Promise<number> => { const t = performance.now(); await f(); return performance.now() - t; };

/** The previous implementation's pattern product: S_X S_X^T as float32 matmuls, blocks of 2^22 elements. */
async function floatMatmulGram(): Promise<Float64Array> {
  const counts = new Float64Array(n * n);
  const bm = Math.min(m, Math.floor((1 << 22) / n));
  const xT = tf.tensor2d(x, [n, d]);
  for (let r0 = 0; r0 < m; r0 += bm) {
    const r1 = Math.min(m, r0 + bm);
    const c = tf.tidy(() => {
      const wt = tf.transpose(tf.tensor2d(w.subarray(r0 * d, r1 * d), [r1 - r0, d]));
      const s = tf.cast(tf.greaterEqual(tf.matMul(xT, wt), 0), 'float32');
      return tf.matMul(s, tf.transpose(s));
    });
    const v = await c.data();
    c.dispose();
    for (let k = 0; k < v.length; k++) counts[k] += v[k];
  }
  xT.dispose();
  const g = innerProducts(x, null, { inputDim: d }).g; // X X^T as before (a SIMD dot per pair)
  for (let k = 0; k < counts.length; k++) counts[k] = (g[k] * counts[k]) / m;
  return counts;
}

console.log(`n=${n} d=${d} m=${m}, backend ${tf.getBackend()}, load ${(await import('node:os')).loadavg().map((v) => v.toFixed(1)).join(' ')}`);
const opts = { inputDim: d, onWarning: () => undefined };
const check = [await floatMatmulGram(), (await structuredNtkAsync(x, null, w, opts)).data];
let maxDiff = 0;
for (let k = 0; k < check[0].length; k++) maxDiff = Math.max(maxDiff, Math.abs(check[0][k] - check[1][k]));
console.log(`before and after agree: max |difference| = ${maxDiff}`);
const before: number[] = [], after: number[] = [];
for (let r = 0; r < reps; r++) {
  before.push(await ms(floatMatmulGram));
  after.push(await ms(() => structuredNtkAsync(x, null, w, opts)));
}
console.log(`Gram, before (float matmuls): median ${median(before).toFixed(0)} ms of ${before.map((v) => v.toFixed(0)).join(', ')}`);
console.log(`Gram, after (popcount):       median ${median(after).toFixed(0)} ms of ${after.map((v) => v.toFixed(0)).join(', ')}`);

// Where the time goes, piece by piece, with the blocks structuredNtk uses (2048 neurons x all rows).
const parts: Record<string, number[]> = { 'X W^T GEMM + readback': [], 'pack signs': [], 'X X^T (float64, gramF64)': [], 'X X^T (float64, dot)': [] };
const kinds = ['wasm-simd', 'wasm-scalar', 'js'] as const;
for (const k of kinds) parts[`popcount ${k}`] = [];
const grams = kinds.map((kernel) => createPopcountGram({ rows: n, cols: null, bits: m, kernel }));
for (let r = 0; r < Math.min(reps, 3); r++) {
  const xT = tf.tensor2d(x, [n, d]);
  let gemm = 0, pack = 0;
  for (const g of grams) g.a.words.fill(0);
  for (let r0 = 0; r0 < m; r0 += 2048) {
    const r1 = Math.min(m, r0 + 2048);
    let t = performance.now();
    const z = tf.tidy(() => tf.matMul(xT, tf.transpose(tf.tensor2d(w.subarray(r0 * d, r1 * d), [r1 - r0, d]))));
    const v = await z.data();
    z.dispose();
    gemm += performance.now() - t;
    t = performance.now();
    packSigns(grams[0].a, v, n, r1 - r0, 0, r0);
    pack += performance.now() - t;
    grams[1].a.words.set(grams[0].a.words);
    grams[2].a.words.set(grams[0].a.words);
  }
  xT.dispose();
  parts['X W^T GEMM + readback'].push(gemm);
  parts['pack signs'].push(pack);
  kinds.forEach((k, q) => {
    if (k === 'js' && r > 0) return; // ~1 s: once is enough
    const t = performance.now();
    grams[q].run(() => undefined);
    parts[`popcount ${k}`].push(performance.now() - t);
  });
  parts['X X^T (float64, gramF64)'].push(await ms(() => gramF64(x, null, { inputDim: d })));
  parts['X X^T (float64, dot)'].push(await ms(() => innerProducts(x, null, { inputDim: d })));
}
for (const [k, v] of Object.entries(parts)) console.log(`  ${k.padEnd(24)} median ${median(v).toFixed(0)} ms`);

// One full-batch GD step of the student (forward X W^T, relu, readout; backward dW = X^T G) against
// the drift from that step's own pre-activations Z (read back, packed, popcount, streamed norm).
const a = tf.tensor2d(Float32Array.from({ length: m }, (_, r) => (r % 2 ? 1 : -1)), [m, 1]);
const yT = tf.tensor2d(Float32Array.from({ length: n }, (_, i) => (i % 3 ? 1 : -1)), [n, 1]);
const xT = tf.tensor2d(x, [n, d]);
const xTt = tf.transpose(xT);
let wT = tf.transpose(tf.tensor2d(w, [m, d])) as tf.Tensor2D; // [d, m]
const tracker = await createKernelDriftTracker(x, w, opts);
const stepMs: number[] = [], driftMs: number[] = [], maskMs: number[] = [];
for (let r = 0; r < reps; r++) {
  let z = tf.zeros([1, 1]) as tf.Tensor2D, mask = z;
  stepMs.push(await ms(async () => {
    z.dispose();
    const next = tf.tidy(() => {
      z = tf.keep(tf.matMul(xT, wT));
      mask = tf.keep(tf.greater(z, 0));
      const u = tf.div(tf.matMul(tf.relu(z), a), Math.sqrt(m));
      const gOut = tf.sub(u, yT);
      const G = tf.mul(tf.div(tf.matMul(gOut, tf.transpose(a)), Math.sqrt(m)), tf.cast(mask, 'float32'));
      return tf.sub(wT, tf.mul(tf.matMul(xTt, G), 0.5)) as tf.Tensor2D;
    });
    await next.data();
    wT.dispose();
    wT = next;
  }));
  driftMs.push(await ms(() => tracker.fromTensor(z)));
  maskMs.push(await ms(() => tracker.fromTensor(mask)));
  tf.dispose([z, mask]);
}
console.log(`GD step median ${median(stepMs).toFixed(0)} ms; drift from its pre-activations median ${median(driftMs).toFixed(0)} ms `
  + `(${((100 * median(driftMs)) / median(stepMs)).toFixed(1)} %), from its bool mask ${median(maskMs).toFixed(0)} ms (${((100 * median(maskMs)) / median(stepMs)).toFixed(1)} %)`);
console.log(`drift after ${reps} steps: ${await tracker.fromWeights(tf.transpose(wT) as tf.Tensor2D)}`);
