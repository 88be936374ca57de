// The node-gpu conformance checks gpu-check runs on a lent GPU: the ops of testkit's backend suite
// against float64, then the student's GD step, the structured NTK Gram and a 50-step distillation
// against the cpu backend, with the tolerances (and reasons) of tools/vitest/cpu-agreement.ts.
import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng } from '@pikt/core';
import { structuredNtkAsync } from '@pikt/ntk';
import { distill50, gdStep, relativeError, unitRows } from './agreement.js';

export interface CheckResult { name: string; ok: boolean; detail: string }

function matMulF64(a: Float32Array, b: Float32Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) { const v = a[i * k + p]; for (let j = 0; j < m; j++) c[i * m + j] += v * b[p * m + j]; }
  return c;
}

async function read(t: tf.Tensor): Promise<Float32Array> {
  const v = Float32Array.from(await t.data());
  t.dispose();
  return v;
}

/** Each check: a name, what it compares, and its bound (the reason is in cpu-agreement.ts / testkit). */
export async function runChecks(activate: () => Promise<unknown>, log: (r: CheckResult) => void): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const check = async (name: string, fn: () => Promise<{ value: number; bound: number; what: string }>) => {
    let r: CheckResult;
    try {
      const { value, bound, what } = await fn();
      r = { name, ok: value <= bound, detail: `${what} ${value.toExponential(2)} (bound ${bound.toExponential(0)})` };
    } catch (err) {
      r = { name, ok: false, detail: `threw: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
    }
    results.push(r);
    log(r);
  };
  const rng = createRng(7);
  const a = rng.fillNormal(new Float32Array(96 * 80));
  const b = rng.fillNormal(new Float32Array(80 * 64));
  await check('matMul 96x80x64 vs float64', async () => {
    await activate();
    const got = await read(tf.tidy(() => tf.matMul(tf.tensor2d(a, [96, 80]), tf.tensor2d(b, [80, 64]))));
    // Sums of 80 float32 products: ~sqrt(80) * 6e-8 relative.
    return { value: relativeError(got, matMulF64(a, b, 96, 80, 64)), bound: 1e-5, what: 'relative error' };
  });
  await check('transpose, relu, step mask exact; sum, exp', async () => {
    await activate();
    const x = createRng(8).fillNormal(new Float32Array(12 * 5));
    const t = tf.tensor2d(x, [12, 5]);
    const tr = await read(tf.transpose(t));
    const relu = await read(tf.relu(t));
    const step = await read(tf.tidy(() => tf.cast(tf.greaterEqual(t, 0), 'float32')));
    const exp = await read(tf.exp(t));
    const sum = (await read(tf.sum(t)))[0];
    t.dispose();
    let exactMiss = 0;
    for (let i = 0; i < 12; i++) for (let j = 0; j < 5; j++) if (tr[j * 12 + i] !== x[i * 5 + j]) exactMiss += 1;
    x.forEach((v, i) => { if (relu[i] !== Math.max(v, 0) || step[i] !== (v >= 0 ? 1 : 0)) exactMiss += 1; });
    const expErr = Math.max(...Array.from(x, (v, i) => Math.abs(exp[i] - Math.exp(v)) / Math.exp(v)));
    const sumErr = Math.abs(sum - Array.from(x).reduce((s, v) => s + v, 0));
    return { value: exactMiss + expErr + sumErr, bound: 1e-5, what: 'mismatches + exp rel error + sum error' };
  });
  await check('tidy releases tensors', async () => {
    await activate();
    const before = tf.memory().numTensors;
    await read(tf.tidy(() => tf.sum(tf.mul(tf.ones([64, 64]), tf.scalar(2)))));
    return { value: tf.memory().numTensors - before, bound: 0, what: 'leaked tensors' };
  });
  const onBoth = async <T>(work: () => Promise<T>) => {
    await createCpuBackend().activate();
    const cpu = await work();
    await activate();
    return { cpu, gpu: await work() };
  };
  await check('GD step of the student (n=32, d=16, m=512) vs cpu', async () => {
    const { cpu, gpu } = await onBoth(() => gdStep(32, 16, 512));
    return { value: relativeError(gpu.grad, cpu.grad), bound: 1e-4, what: 'dL/dW relative error' };
  });
  await check('structured NTK Gram (n=24, d=8, m=1024) vs cpu', async () => {
    const x = unitRows(24, 8, 8);
    const w = createRng(9).fillNormal(new Float32Array(1024 * 8));
    const { cpu, gpu } = await onBoth(() => structuredNtkAsync(x, null, w, { inputDim: 8, neuronBlock: 256, onWarning: () => {} }));
    return { value: relativeError(gpu.data, cpu.data), bound: 1e-5, what: 'Gram relative error' };
  });
  await check('50-step distillation (n=24, d=8, m=256) vs cpu', async () => {
    const { cpu, gpu } = await onBoth(() => distill50(24, 8, 256));
    return { value: Math.max(relativeError(gpu.outputs, cpu.outputs), Math.abs(gpu.finalLoss - cpu.finalLoss) / cpu.finalLoss), bound: 1e-4, what: 'outputs / final loss relative error' };
  });
  return results;
}
