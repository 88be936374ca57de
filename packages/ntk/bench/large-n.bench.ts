/**
 * Benchmark: the full kernel-regime analysis at large n on real MNIST (unit-norm, even-vs-odd),
 * matrix-free: the analytic NTK Hinf as a float32 block Gram (inner products exact from the 8-bit pixels by the int16 tiles),
 * Lanczos + Gauss quadrature for the spectrum's top, the 1000-step predicted loss curves and the
 * iterations to eps, CG for the capacity. Usage: node large-n.mjs [n] (default 50000).
 * NumPy's dense route at this size would need n^2 float64 = 20 GB for H alone plus eigh's
 * workspace and O(n^3) ~ 10^14 flops: hours and more memory than the machine has.
 */
import { largestEigenvalue } from '@pikt/linalg';
import { buildTwoLayerBlockGram, createLanczosPredictor } from '../src/index.js';
import { mnistBinary, noisyTeacher } from './mnist.js';

const n = Number(process.argv[2] ?? 50_000);
const lambda = 1;
const t0 = performance.now();
let cpuMark = process.cpuUsage();
const lap = (label: string, since: number): number => {
  const now = performance.now();
  const c = process.cpuUsage(cpuMark);
  cpuMark = process.cpuUsage();
  console.log(`${label}: ${((now - since) / 1000).toFixed(1)} s wall, ${((c.user + c.system) / 1e6).toFixed(1)} s cpu`);
  return now;
};

const { x, pixels, y, d } = mnistBinary(n);
const z = noisyTeacher(y);
let t = lap(`load MNIST n=${n}, d=${d}`, t0);
const threads = Number(process.env.PIKT_BENCH_THREADS ?? 2);
// Float32 products by default (PIKT_BENCH_PRODUCTS=float64 for the float64 ones): see BlockGramOptions.products.
const products = (process.env.PIKT_BENCH_PRODUCTS ?? 'float32') as 'float32' | 'float64';
// The inner products: by default exact, from the 8-bit pixels with rowScales 'unit' (the int16 tiles);
// PIKT_BENCH_TILES=float32 for the float32 tiles on the float32 unit-norm rows.
const tiles = (process.env.PIKT_BENCH_TILES ?? 'int16') as 'int16' | 'float32';
const points = tiles === 'int16' ? pixels : x;
const gram = await buildTwoLayerBlockGram(points, { inputDim: d, blockSize: 2048, threads, products, tiles, rowScales: tiles === 'int16' ? 'unit' : undefined, onWarning: () => {} });
t = lap(`Hinf as float32 blocks (${(gram.bytes / 2 ** 30).toFixed(2)} GiB, ${gram.storage}; built and multiplied on ${threads} thread(s))`, t);
// eta at 1/((1+lambda) mu_1): a short single-vector Lanczos run finds mu_1 (extreme Ritz values converge first).
const top = largestEigenvalue(gram, { steps: 30, tol: 1e-10 }); // stops once |mu_1 - theta| <= 1e-10 theta
const eta = 1 / ((1 + lambda) * top.value);
t = lap(`mu_1 = ${top.value.toPrecision(8)} (residual bound ${top.residual.toExponential(1)}) from ${top.steps} Lanczos steps; eta = ${eta.toExponential(4)}`, t);
const maxSteps = Number(process.env.PIKT_BENCH_LANCZOS ?? 150);
const iterationTolerance = Number(process.env.PIKT_BENCH_ITER_TOL ?? 1e-3);
const pred = createLanczosPredictor({ operator: gram, y, z, lambda, eta, maxSteps, watchSteps: [1000], watchEps: [1e-2], iterationTolerance, onWarning: (w) => console.log(`  warning ${w.code}: ${w.message}`) });
t = lap(`Lanczos: ${pred.lanczosSteps} steps (4 runs: teacher target, plain target, e0 +- d: ${pred.runSteps.join(', ')} steps), converged ${pred.converged} (losses to 1e-9, iteration brackets to ${iterationTolerance} relative)`, t);
const steps = Array.from({ length: 1001 }, (_, k) => k);
const curves = pred.lossCurves(steps);
const iters = pred.iterationsToEps(1e-2);
t = lap(`1001-point loss curve + iterations to eps`, t);
console.log(`  total loss k=0: ${curves.total[0].toPrecision(8)}, k=1000: ${curves.total[1000].toPrecision(8)} in [${curves.totalLower[1000].toPrecision(8)}, ${curves.totalUpper[1000].toPrecision(8)}]; relative quadrature error estimate ${curves.errorEstimate.toExponential(2)}`);
console.log(`  iterations to eps=1e-2: with teacher ${iters.withTeacher} (bracket ${iters.withTeacherBracket}), without ${iters.withoutTeacher} (bracket ${iters.withoutTeacherBracket})`);
const cap = pred.capacity();
t = lap(`capacity by CG, the iterate of the Lanczos run (${cap.iterations} iterations, relative residual ${cap.relativeResidual.toExponential(2)})`, t);
console.log(`  capacity sqrt((ybar-u0)^T H^-1 (ybar-u0)) >= ${cap.value.toPrecision(8)} (a CG lower bound; the last 10 iterations added ${cap.errorEstimate.toExponential(2)} to its square ${(cap.value ** 2).toExponential(4)})`);
const cx = pred.complexityTerm();
console.log(`  complexity term sqrt(2 ybar^T H^-1 ybar / n) >= ${cx.value.toPrecision(6)}`);
const total = (performance.now() - t0) / 1000;
const mem = process.memoryUsage();
const cpuAll = process.cpuUsage();
console.log(`TOTAL n=${n}: ${total.toFixed(1)} s wall, ${((cpuAll.user + cpuAll.system) / 1e6).toFixed(1)} s cpu; rss ${(mem.rss / 2 ** 30).toFixed(2)} GiB (array buffers ${(mem.arrayBuffers / 2 ** 30).toFixed(2)} GiB)`);

// PIKT_BENCH_PASSES=1: after TOTAL, one product with 1, 2 and 4 vectors (each the median of 3):
// what a Lanczos step costs for each number of live runs, as bytes of the stored Gram a second.
if (process.env.PIKT_BENCH_PASSES === '1') {
  for (const b of [1, 2, 4]) {
    const xs = Array.from({ length: b }, (_, v) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * (v + 1))));
    const ys = xs.map(() => new Float64Array(n));
    const times = [0, 1, 2].map(() => { const s0 = performance.now(); gram.apply(xs, ys); return (performance.now() - s0) / 1000; }).sort((p, q) => p - q);
    console.log(`  one product with ${b} vector(s): ${times[1].toFixed(3)} s (${(gram.bytes / times[1] / 1e9).toFixed(1)} GB/s of stored Gram)`);
  }
}
await gram.dispose();
