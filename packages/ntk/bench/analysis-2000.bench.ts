/**
 * Benchmark: the full kernel-regime analysis at n = 2000 (or argv[2]; MNIST, unit-norm, even vs odd; Hinf
 * given): spectrum top (stability), the 1001-point predicted loss curves, iterations to eps = 1e-2
 * with and without the teacher, capacity and complexity. pikt's Lanczos route beside pikt's dense
 * route and NumPy's eigh route (run here through /usr/bin/python3 on the same matrix).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPiPredictor, hinf, twoLayerBlockGram } from '../src/index.js';
import { analysisEta, lanczosAnalysis, writeRouteInputs } from './analysis-route.js';
import { mnistBinary, noisyTeacher } from './mnist.js';
import { time } from './timing.js';

const n = Number(process.argv[2] ?? 2000), lambda = 1, eps = 1e-2; // `node analysis-2000.mjs 4000` for n = 4000
const { x, y, d } = mnistBinary(n);
const z = noisyTeacher(y);
const H = hinf(x, null, { inputDim: d, onWarning: () => {} }).data;
const steps = Array.from({ length: 1001 }, (_, k) => k);
const problem = { H, y, z, lambda, eps };
// eta = 1 / ((1 + lambda) mu_1) from a short Lanczos run (not timed: both routes get the same eta).
const eta = analysisEta(problem);
const analysis = (operator?: Parameters<typeof lanczosAnalysis>[3]) => lanczosAnalysis(problem, eta, 1000, operator);
const lanczosF64 = time(() => analysis());
const blocks = twoLayerBlockGram(x, { inputDim: d, blockSize: 512, onWarning: () => {} });
const lanczosF32 = time(() => analysis(blocks));
const blocksP32 = twoLayerBlockGram(x, { inputDim: d, blockSize: 512, products: 'float32', onWarning: () => {} });
const lanczosP32 = time(() => analysis(blocksP32));
const dense = time(() => {
  const p = createPiPredictor({ gram: H, y, z, lambda, eta, onWarning: () => {} });
  const curves = p.lossCurves(steps);
  return { curves, iters: p.iterationsToEps(eps), cap: p.capacity(), cx: p.complexityTerm(), mu1: p.stability.mu1 };
});

const dir = mkdtempSync(join(tmpdir(), 'pikt-ntk-bench-'));
let numpy: Record<string, number | string | null> | null = null;
try {
  writeRouteInputs(dir, problem, eta);
  const r = spawnSync('/usr/bin/python3', [join(process.cwd(), 'numpy_route.py'), dir], { encoding: 'utf8' });
  if (r.status === 0) numpy = JSON.parse(r.stdout.trim().split('\n').pop() as string);
  else console.log(`NumPy route unavailable: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const l = lanczosF64.value;
console.log(`n = ${n}, d = ${d}, lambda = ${lambda}, eta = ${eta.toExponential(4)} (= 1/((1+lambda) mu_1)), eps = ${eps}`);
console.log(`pikt Lanczos, float64 dense operator : ${lanczosF64.s.toFixed(2)} s wall, ${lanczosF64.cpu.toFixed(2)} s cpu (${l.p.lanczosSteps} Lanczos steps)`);
console.log(`pikt Lanczos, float32 block Gram     : ${lanczosF32.s.toFixed(2)} s wall, ${lanczosF32.cpu.toFixed(2)} s cpu (${lanczosF32.value.p.lanczosSteps} steps)`);
console.log(`pikt Lanczos, float32 products        : ${lanczosP32.s.toFixed(2)} s wall, ${lanczosP32.cpu.toFixed(2)} s cpu (${lanczosP32.value.p.lanczosSteps} steps; total loss k=1000 ${lanczosP32.value.curves.total[1000].toPrecision(10)})`);
console.log(`pikt dense (eighFactor, O(n^3))       : ${dense.s.toFixed(2)} s wall, ${dense.cpu.toFixed(2)} s cpu`);
if (numpy) console.log(`NumPy ${numpy.numpy} eigh route        : ${(numpy.total_s as number).toFixed(2)} s wall, ${(numpy.cpu_s as number).toFixed(2)} s cpu (eigh alone ${(numpy.eigh_s as number).toFixed(2)} s wall)`);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
console.log(`agreement: total loss at k=1000 Lanczos ${l.curves.total[1000].toPrecision(10)} vs dense ${dense.value.curves.total[1000].toPrecision(10)} (rel ${rel(l.curves.total[1000], dense.value.curves.total[1000]).toExponential(1)})` +
  (numpy ? ` vs NumPy ${(numpy.total1000 as number).toPrecision(10)}` : ''));
console.log(`iterations to eps: teacher ${l.iters.withTeacher} / ${dense.value.iters.withTeacher}${numpy ? ` / ${numpy.k_teacher}` : ''}; plain ${l.iters.withoutTeacher} / ${dense.value.iters.withoutTeacher}${numpy ? ` / ${numpy.k_plain}` : ''} (Lanczos / pikt dense / NumPy)`);
console.log(`capacity: ${l.cap.value.toPrecision(8)} / ${dense.value.cap.value.toPrecision(8)}${numpy ? ` / ${(numpy.capacity as number).toPrecision(8)}` : ''}; complexity ${l.cx.value.toPrecision(6)} / ${dense.value.cx.value.toPrecision(6)}${numpy ? ` / ${(numpy.complexity as number).toPrecision(6)}` : ''}`);
if (numpy) console.log(`speed-up of pikt's Lanczos route over NumPy's eigh route: ${((numpy.total_s as number) / lanczosF64.s).toFixed(2)}x wall, ${((numpy.cpu_s as number) / lanczosF64.cpu).toFixed(2)}x cpu (float64 operator); ${((numpy.total_s as number) / lanczosF32.s).toFixed(2)}x wall (float32 blocks)`);
