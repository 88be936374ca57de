// Benchmark (not a test): one full-batch GD step of the wide student, L = 1/2 ||u - y||^2,
// n = 2000, d = 784, m = 8192, K = 1 (issue 15 workload (a)), on the main thread (the student's fused
// applyWithVjp, as the trainer with workers: 1) and sharded by width over W worker threads
// (startShardedStudent: forward, G = u - y on the main thread, update). Configurations alternate within
// each repetition (the machine is shared), median of `reps` after one warm-up step each. Also prints
// where sharded time goes: the shards' own compute (slowest shard) vs the rest (messages, sums, waits),
// and the process's CPU time per step (all threads): the work, which the machine's load does not change.
// Run: pnpm --filter @pikt/trainer bench   (options: --n --d --m --k --reps --workers=1,2 --json=1)
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@pikt/core';
import { createWasmBackend } from '@pikt/backend-wasm';
import { createWideStudent, type WideStudentParams } from '@pikt/models';
import { startShardedStudent, type ShardedStudent } from '@pikt/trainer';

const arg = (name: string, fallback: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const n = Number(arg('n', '2000'));
const d = Number(arg('d', '784'));
const m = Number(arg('m', '8192'));
const k = Number(arg('k', '1'));
const reps = Number(arg('reps', '5'));
const workerCounts = arg('workers', '1,2').split(',').map(Number);
const eta = 0.1;

await createWasmBackend().activate();
const rng = createRng('bench-sharded-step');
const xs = rng.child('x').fillNormal(new Float32Array(n * d));
for (let i = 0; i < n; i++) {
  const row = xs.subarray(i * d, (i + 1) * d);
  const norm = Math.hypot(...row);
  for (let j = 0; j < d; j++) row[j] /= norm;
}
const ys = rng.child('y').fillNormal(new Float32Array(n * k));
const model = createWideStudent({ width: m });
const params: WideStudentParams = model.init(rng.child('init'), { inputDim: d, outputDim: k });
const x = tf.tensor2d(xs, [n, d]);
const y = tf.tensor2d(ys, [n, k]);

function mainThreadStep(): void {
  const next = tf.tidy(() => {
    const { grads } = model.applyWithVjp(params, x, (logits) => tf.sub(logits, y) as tf.Tensor2D);
    return tf.sub(params.W, tf.mul(eta, grads.W!)) as tf.Tensor2D;
  });
  next.dataSync();
  params.W.dispose();
  params.W = next;
}

async function shardedStep(s: ShardedStudent): Promise<void> {
  const u = await s.forward('train', { keep: true });
  for (let i = 0; i < u.length; i++) u[i] -= ys[i]; // G = dL/du
  await s.update(u, eta);
}

const W = (await params.W.data()) as Float32Array;
const a = (await params.a.data()) as Float32Array;
const engines = new Map<number, ShardedStudent>();
for (const w of workerCounts) {
  engines.set(w, await startShardedStudent({ workers: w, width: m, inputDim: d, outputDim: k, W, a, trainLayers: 'first', blockSize: 0, splits: { train: xs }, backend: 'wasm' }));
}
const times: Record<string, number[]> = { main: [] };
/** CPU seconds of the whole process (every thread) per step: the work done, whatever the machine's load. */
const cpu: Record<string, number[]> = { main: [] };
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const split: Record<number, { forward: number[]; update: number[]; shard: number[] }> = {};
for (const w of workerCounts) { times[`workers=${w}`] = []; cpu[`workers=${w}`] = []; split[w] = { forward: [], update: [], shard: [] }; }
try {
  mainThreadStep();
  for (const e of engines.values()) { await shardedStep(e); e.takeTimings(); }
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    let c0 = cpuNow();
    mainThreadStep();
    times.main.push(performance.now() - t0);
    cpu.main.push(cpuNow() - c0);
    for (const [w, e] of engines) {
      t0 = performance.now();
      c0 = cpuNow();
      await shardedStep(e);
      times[`workers=${w}`].push(performance.now() - t0);
      cpu[`workers=${w}`].push(cpuNow() - c0);
      const t = e.takeTimings();
      split[w].forward.push(t.forward);
      split[w].update.push(t.update);
      split[w].shard.push(t.shardForward + t.shardUpdate);
    }
  }
} finally {
  for (const e of engines.values()) await e.close();
}

const median = (v: number[]) => { const s = [...v].sort((p, q) => p - q); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const base = median(times.main);
console.log(`one full-batch GD step, n=${n} d=${d} m=${m} K=${k}, wasm, median of ${reps} (load average ${(await import('node:os')).loadavg()[0].toFixed(2)})`);
console.log(`  main thread (applyWithVjp)   ${(base / 1000).toFixed(3)} s   (CPU ${(median(cpu.main) / 1000).toFixed(3)} s)`);
const results: Record<string, unknown> = { workload: 'gd-step', n, d, m, k, reps, mainMs: base, mainCpuMs: median(cpu.main) };
for (const w of workerCounts) {
  const t = median(times[`workers=${w}`]);
  const shard = median(split[w].shard);
  console.log(`  ${w} worker thread(s)          ${(t / 1000).toFixed(3)} s   speedup ${(base / t).toFixed(2)}x over the main thread`
    + `   (CPU ${(median(cpu[`workers=${w}`]) / 1000).toFixed(3)} s, ${(median(cpu[`workers=${w}`]) / t).toFixed(2)} cores busy)`
    + `   [forward ${(median(split[w].forward) / 1000).toFixed(3)} s, update ${(median(split[w].update) / 1000).toFixed(3)} s; slowest shard computing ${(shard / 1000).toFixed(3)} s, messages + waits ${((t - shard) / 1000).toFixed(3)} s]`);
  results[`workers${w}Ms`] = t;
  results[`workers${w}ShardMs`] = shard;
  results[`workers${w}CpuMs`] = median(cpu[`workers=${w}`]);
}
if (workerCounts.includes(1) && workerCounts.includes(2)) {
  console.log(`  2 workers over 1 worker: ${(median(times['workers=1']) / median(times['workers=2'])).toFixed(2)}x`);
}
if (arg('json', '0') === '1') console.log(JSON.stringify(results));
tf.dispose([x, y]);
model.dispose(params);
