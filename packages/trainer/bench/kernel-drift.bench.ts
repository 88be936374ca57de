// Benchmark (not a test): the cost of tracking the kernel drift inside training (issue 15). The same
// full-batch GD run of the wide student (label fit, n = 2000, d = 784, m = 8192, K = 1, wasm, one
// thread) with `kernelDrift` at steps 1..S-1 (each from the next update's forward pass; the last step
// would take a forward pass of its own) and without, alternated, median of `reps`. Timed from
// onUpdate(1) to onUpdate(S): S - 1 updates, and in the tracked run the drifts of steps 1..S-2 (the
// drift of step k is computed once update k + 1's forward pass hands over its masks). Overhead of one tracked step =
// (t_tracked - t_plain) / (S - 2), as % of one step t_plain / (S - 1). The tracker's setup (X X^T
// float64 and H(W(0)), once a run) is outside the timed span and printed on its own; one untimed
// warm-up run comes first.
// Run: pnpm --filter @pikt/trainer bench:drift  (options: --n --d --m --steps --reps --lr;
// default lr = 1 / mu_max, half the stability bound 2 / mu_max, mu_max = the top eigenvalue of H(W(0)) by power iteration)
import * as tf from '@tensorflow/tfjs-core';
import { loadavg } from 'node:os';
import { createRng, datasetFromArrays } from '@pikt/core';
import { createWasmBackend } from '@pikt/backend-wasm';
import { createWideStudent } from '@pikt/models';
import { createKernelDriftTracker } from '@pikt/ntk';
import { labelFit } from '@pikt/regularizers';
import { initialParams, train } from '@pikt/trainer';

const arg = (name: string, fallback: string): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const [n, d, m, steps, reps, lrArg] = [arg('n', '2000'), arg('d', '784'), arg('m', '8192'), arg('steps', '5'), arg('reps', '5'), arg('lr', '0')];
const seed = 3;

await createWasmBackend().activate();
const rng = createRng('bench-kernel-drift');
const x = rng.child('x').fillNormal(new Float32Array(n * d));
for (let i = 0; i < n; i++) {
  const row = x.subarray(i * d, (i + 1) * d);
  const norm = Math.hypot(...row);
  for (let j = 0; j < d; j++) row[j] /= norm;
}
const data = datasetFromArrays({ inputDim: d, outputDim: 1, train: { x, targets: rng.child('y').fillNormal(new Float32Array(n)) } });
const model = createWideStudent({ width: m });

const load = () => loadavg().map((v) => v.toFixed(1)).join(' ');
console.log(`kernel drift inside training: n=${n} d=${d} m=${m}, ${steps} GD steps a run, ${reps} pairs, backend ${tf.getBackend()}, load ${load()}`);
const w0 = initialParams(model, seed, { inputDim: d, outputDim: 1 });
const t = performance.now();
const tracker = await createKernelDriftTracker(x, w0.W, { inputDim: d, onWarning: () => undefined });
console.log(`tracker setup (X X^T float64, H(W(0)) by popcount): ${((performance.now() - t) / 1000).toFixed(2)} s`);

const a0 = Float32Array.from(w0.a.dataSync());
const initialParamsA = () => tf.tensor2d(a0, [m, 1]);
const w0Array = Float32Array.from(w0.W.dataSync());
tf.dispose(Object.values(w0));
/** Top eigenvalue of H(W(0)) (symmetric PSD) by 100 power iterations. */
function muMax(h: Float64Array): number {
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let mu = 0;
  for (let it = 0; it < 100; it++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += h[i * n + j] * v[j]; w[i] = s; }
    mu = Math.hypot(...w);
    v = w.map((e) => e / mu);
  }
  return mu;
}
const mu = muMax(tracker.h0);
const lr = lrArg > 0 ? lrArg : 1 / mu;
const settings = { seed, optimizer: { kind: 'gd' as const, lr }, steps };
console.log(`mu_max of H(W(0)) = ${mu.toFixed(3)}, lr = ${lr.toPrecision(3)} (stability bound 2 / mu_max = ${(2 / mu).toPrecision(3)})`);

const tracked = Array.from({ length: steps - 1 }, (_, i) => i + 1);
async function run(withDrift: boolean): Promise<{ ms: number; drifts: number[] }> {
  const at: Record<number, number> = {};
  const r = await train({
    model, terms: [labelFit()], data, settings, onUpdate: (k) => { at[k] = performance.now(); },
    ...(withDrift ? { kernelDrift: { tracker, at: tracked } } : {}),
  });
  model.dispose(r.params as never);
  return { ms: at[steps] - at[1], drifts: (r.kernelDrift ?? []).map((e) => e.drift) };
}

// Warm-up (untimed): the first run grows the wasm heap to its high-water mark and compiles the kernels.
await run(true);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const plain: number[] = [], withTracking: number[] = [];
let drifts: number[] = [];
for (let rep = 0; rep < reps; rep++) {
  // Alternate the order too, so a change in load hits both alike.
  for (const withDrift of rep % 2 === 0 ? [false, true] : [true, false]) {
    const r = await run(withDrift);
    (withDrift ? withTracking : plain).push(r.ms);
    if (withDrift) drifts = r.drifts;
    console.log(`  rep ${rep} ${withDrift ? 'with drift' : 'plain     '}: ${(r.ms / 1000).toFixed(2)} s (load ${load()})`);
  }
}
const step = median(plain) / (steps - 1);
const perDrift = (median(withTracking) - median(plain)) / (steps - 2);
console.log(`drift(1..${steps - 1}) = ${drifts.map((v) => v.toExponential(3)).join(', ')}`);
console.log(`median of ${steps - 1} updates: plain ${(median(plain) / 1000).toFixed(2)} s, with ${steps - 2} drifts ${(median(withTracking) / 1000).toFixed(2)} s`);
console.log(`step ${(step / 1000).toFixed(2)} s, drift ${(perDrift / 1000).toFixed(3)} s a tracked step = ${((100 * perDrift) / step).toFixed(1)} % of the step (target <= 10 %)`);
// The drift's own work, timed alone (robust to the load): the masks of W(1..S-1) as the student's
// forward pass makes them (untimed), each handed to the tracker in step order as the trainer does
// (read in place, pack and count flips since the previous step, update, sum); the tracker's last patterns are W(0)'s.
const fresh = await createKernelDriftTracker(x, w0Array, { inputDim: d, onWarning: () => undefined });
const weights: Float32Array[] = [];
const kept = await train({ model, terms: [labelFit()], data, settings, onUpdate: (k, p) => { weights[k] = p.W.dataSync() as Float32Array; } });
model.dispose(kept.params as never);
const alone: number[] = [];
for (let k = 1; k < steps; k++) {
  const params = { W: tf.tensor2d(weights[k], [m, d]), a: initialParamsA() };
  const xT = tf.tensor2d(x, [n, d]);
  const patterns = model.activationPatterns.compute(params, xT);
  const t0 = performance.now();
  await fresh.fromTensorBlocks(patterns.blocks, { layout: patterns.layout, values: patterns.values });
  alone.push(performance.now() - t0);
  tf.dispose([params.W, params.a, xT, ...patterns.blocks]);
}
console.log(`the tracker alone on steps 1..${steps - 1}: ${alone.map((v) => (v / 1000).toFixed(3)).join(', ')} s; median ${(median(alone) / 1000).toFixed(3)} s = ${((100 * median(alone)) / step).toFixed(1)} % of the step`);
console.log(`load at the end: ${load()}`);
