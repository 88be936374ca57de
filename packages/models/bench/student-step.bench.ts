// Benchmark (not a test): one full-batch GD step of the wide student on wasm,
//   W <- W - eta * dL/dW,  L = 1/2 ||f(X; W) - y||^2,
// for n = 2000, d = 784, m = 8192, K = 1: forward + hand-written vjp + update, median of 5 after one
// warm-up step, both as `apply` then `vjp` and as the fused `applyWithVjp` (keeps the activation
// masks: two big products instead of three). `--autodiff=1` also times tfjs autodiff (slow: ~100 s).
// Run: pnpm --filter @pikt/models bench   (options: --n --d --m --k --reps --block --autodiff=1)
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core stays external (one engine); its gradient registrations are bundled from the ESM build
// (plain Node cannot import them: extensionless imports) and register in tfjs's global registry.
import '../../../node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { createRng } from '@pikt/core';
import { createWasmBackend } from '@pikt/backend-wasm';
import { createWideStudent, type WideStudentParams } from '@pikt/models';

const arg = (name: string, fallback: number): number => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : fallback;
};
const n = arg('n', 2000);
const d = arg('d', 784);
const m = arg('m', 8192);
const k = arg('k', 1);
const reps = arg('reps', 5);
const withAutodiff = arg('autodiff', 0) !== 0;
const blockSize = arg('block', 0);

const active = await createWasmBackend().activate();
const rng = createRng('bench-student-step');
const xs = rng.child('x').fillNormal(new Float32Array(n * d));
for (let i = 0; i < n; i++) {
  const row = xs.subarray(i * d, (i + 1) * d);
  const norm = Math.hypot(...row);
  for (let j = 0; j < d; j++) row[j] /= norm;
}
const x = tf.tensor2d(xs, [n, d]);
const y = tf.tensor2d(rng.child('y').fillNormal(new Float32Array(n * k)), [n, k]);
const model = createWideStudent({ width: m, blockSize });
const params: WideStudentParams = model.init(rng.child('init'), { inputDim: d, outputDim: k });
const eta = 0.1;

function vjpStep(): void {
  const next = tf.tidy(() => {
    const { logits } = model.apply(params, x);
    const grads = model.vjp(params, x, tf.sub(logits, y) as tf.Tensor2D);
    return tf.sub(params.W, tf.mul(eta, grads.W!)) as tf.Tensor2D;
  });
  next.dataSync(); // wait for the backend
  params.W.dispose();
  params.W = next;
}

function fusedStep(): void {
  const next = tf.tidy(() => {
    const { grads } = model.applyWithVjp(params, x, (logits) => tf.sub(logits, y) as tf.Tensor2D);
    return tf.sub(params.W, tf.mul(eta, grads.W!)) as tf.Tensor2D;
  });
  next.dataSync();
  params.W.dispose();
  params.W = next;
}

function autodiffStep(): void {
  const next = tf.tidy(() => {
    const g = tf.grad((W: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(tf.sub(model.apply({ ...params, W: W as tf.Tensor2D }, x).logits, y)))))(params.W);
    return tf.sub(params.W, tf.mul(eta, g)) as tf.Tensor2D;
  });
  next.dataSync();
  params.W.dispose();
  params.W = next;
}

function time(label: string, step: () => void, count: number, products: number): number {
  step(); // warm-up: kernel setup, heap growth
  const ms: number[] = [];
  for (let r = 0; r < count; r++) {
    const t0 = performance.now();
    step();
    ms.push(performance.now() - t0);
  }
  ms.sort((p, q) => p - q);
  const median = ms[Math.floor(ms.length / 2)];
  const gflop = (products * 2 * n * d * m) / 1e9; // n x d x m products per step
  console.log(`${label}: median ${median.toFixed(0)} ms over ${count} (min ${ms[0].toFixed(0)}, max ${ms[ms.length - 1].toFixed(0)}), ${(gflop / (median / 1000)).toFixed(1)} GFLOP/s on its ${products} big products`);
  return median;
}

console.log(`wide student, one full-batch GD step: n=${n} d=${d} m=${m} K=${k} on ${active.id} (${active.features.device}), block=${blockSize || 'auto'}`);
const fusedMs = time('applyWithVjp + update (fused)       ', fusedStep, reps, 2);
const vjpMs = time('apply + vjp + update                ', vjpStep, reps, 3);
console.log(`fused step is ${(vjpMs / fusedMs).toFixed(2)}x faster than apply + vjp`);
if (withAutodiff) {
  const adMs = time('apply + tfjs autodiff + update      ', autodiffStep, 1, 3);
  console.log(`hand-written vjp is ${(adMs / vjpMs).toFixed(1)}x faster than autodiff`);
}
tf.dispose([x, y]);
model.dispose(params);
