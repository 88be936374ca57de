import { createRng, InvalidOptionError, type Rng } from '@pikt/core';
import type { LabeledData } from '../labeled-data.js';
import { binaryData, checkCount, checkSeed, type SyntheticSplits } from './common.js';

export type Toy2dShape = 'moons' | 'circles' | 'xor' | 'spirals';
export const TOY_2D_SHAPES: readonly Toy2dShape[] = ['moons', 'circles', 'xor', 'spirals'];

export type Toy2dOptions = {
  shape: Toy2dShape;
  /** Training and test samples (default 200 each); classes alternate, so they are balanced. */
  n?: number;
  nTest?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
  /** circles: radius of the inner class (default 0.5). */
  factor?: number;
  /** spirals: number of turns (default 1.5). */
  turns?: number;
  seed: number | string;
};

/** A clean point of class c: writes (x, y) to out. */
type Draw = (c: number, rng: Rng, out: Float64Array, at: number) => void;

function drawer(shape: Toy2dShape, factor: number, turns: number): Draw {
  switch (shape) {
    case 'moons': // class 0: upper unit half-circle at (0, 0); class 1: lower one at (1, 0.5)
      return (c, rng, out, at) => {
        const t = Math.PI * rng.uniform();
        out[at] = c === 0 ? Math.cos(t) : 1 - Math.cos(t);
        out[at + 1] = c === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
      };
    case 'circles': // class 0 on the unit circle, class 1 on the circle of radius `factor`
      return (c, rng, out, at) => {
        const t = 2 * Math.PI * rng.uniform();
        const r = c === 0 ? 1 : factor;
        out[at] = r * Math.cos(t);
        out[at + 1] = r * Math.sin(t);
      };
    case 'xor': // uniform on [-1, 1]^2; the class decides the quadrant pair: class 1 iff x1 x2 > 0
      return (c, rng, out, at) => {
        const u = 1 - rng.uniform();
        const v = 1 - rng.uniform();
        const sx = rng.uniform() < 0.5 ? -1 : 1;
        out[at] = sx * u;
        out[at + 1] = (c === 1 ? sx : -sx) * v;
      };
    case 'spirals': // r = t, angle = 2 pi turns t + pi c, t ~ U(0, 1]
      return (c, rng, out, at) => {
        const t = 1 - rng.uniform();
        const a = 2 * Math.PI * turns * t + Math.PI * c;
        out[at] = t * Math.cos(a);
        out[at + 1] = t * Math.sin(a);
      };
  }
}

function sample(draw: Draw, n: number, noise: number, rng: Rng): LabeledData {
  const x = new Float64Array(2 * n);
  const classIds = Int32Array.from({ length: n }, (_, i) => i % 2);
  const pos = rng.child('position');
  const jitter = rng.child('noise');
  for (let i = 0; i < n; i++) {
    draw(classIds[i], pos, x, 2 * i);
    if (noise > 0) {
      x[2 * i] += noise * jitter.normal();
      x[2 * i + 1] += noise * jitter.normal();
    }
  }
  return binaryData(x, n, 2, classIds, ['class 0', 'class 1']);
}

/**
 * Two-dimensional binary problems for decision-boundary plots: two moons, concentric circles, XOR
 * quadrants and two interleaved spirals, with Gaussian noise. Labels 0/1, targets y = -1/+1.
 */
export function toy2d(options: Toy2dOptions): SyntheticSplits {
  const { shape } = options;
  if (!TOY_2D_SHAPES.includes(shape)) throw new InvalidOptionError('shape', shape, `one of ${TOY_2D_SHAPES.join(', ')}`);
  const n = checkCount('n', options.n ?? 200);
  const nTest = checkCount('nTest', options.nTest ?? 200);
  const noise = options.noise ?? 0.1;
  if (!(typeof noise === 'number' && noise >= 0 && Number.isFinite(noise))) throw new InvalidOptionError('noise', noise, 'a number >= 0');
  const factor = options.factor ?? 0.5;
  if (!(typeof factor === 'number' && factor > 0 && factor < 1)) throw new InvalidOptionError('factor', factor, 'a number in (0, 1)');
  const turns = options.turns ?? 1.5;
  if (!(typeof turns === 'number' && turns > 0 && Number.isFinite(turns))) throw new InvalidOptionError('turns', turns, 'a number > 0');
  const rng = createRng(checkSeed('seed', options.seed));
  const draw = drawer(shape, factor, turns);
  return { train: sample(draw, n, noise, rng.child('train')), test: sample(draw, nTest, noise, rng.child('test')), truth: undefined };
}
