/**
 * Benchmark: one product of a float32 block Gram with 4 vectors (a Lanczos pass of the large-n
 * predictor), float64 vs float32 products, on 1 and 2 threads. Usage: node products.mjs [n] [reps]
 * (default 20000, 7). Prints medians of wall and cpu seconds per pass and the streamed GB/s.
 */
import { createBlockGram, type BlockGram } from '../src/index.js';

const n = Number(process.argv[2] ?? 20_000);
const reps = Number(process.argv[3] ?? 7);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const fill = (i0: number, i1: number, j0: number, j1: number, out: Float32Array, ld: number) => {
  for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[(i - i0) * ld + (j - j0)] = 1 / (1 + Math.abs(i - j)) + 1e-3 * Math.cos(i + j);
};
const xs = Array.from({ length: 4 }, (_, v) => Float64Array.from({ length: n }, (_, i) => Math.sin(0.1 * i + v)));
const ys = xs.map(() => new Float64Array(n));
const grams: Array<[string, BlockGram]> = [];
for (const products of ['float64', 'float32'] as const) {
  for (const threads of [1, 2]) {
    const g = createBlockGram(n, fill, { blockSize: 2048, products, threads });
    await g.startThreads();
    grams.push([`${products} products, ${threads} thread(s)`, g]);
  }
}
const wall = grams.map(() => [] as number[]), cpu = grams.map(() => [] as number[]);
for (let r = 0; r < reps; r++) {
  grams.forEach(([, g], k) => { // alternate the variants so the machine's load hits them alike
    const c0 = process.cpuUsage(), t0 = performance.now();
    g.apply(xs, ys);
    const c = process.cpuUsage(c0);
    wall[k].push((performance.now() - t0) / 1000);
    cpu[k].push((c.user + c.system) / 1e6);
  });
}
console.log(`n = ${n}, 4 vectors per pass, ${(grams[0][1].bytes / 2 ** 30).toFixed(2)} GiB stored, median of ${reps}`);
grams.forEach(([label, g], k) => {
  const w = median(wall[k]);
  console.log(`${label.padEnd(30)}: ${w.toFixed(3)} s wall, ${median(cpu[k]).toFixed(3)} s cpu per pass, ${(g.bytes / w / 1e9).toFixed(1)} GB/s`);
});
for (const [, g] of grams) await g.dispose();
