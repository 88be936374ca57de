import { createRng } from '@pikt/core';

const cache = new Map<string, { r: Float32Array; rT: Float32Array }>();
const MAX_CACHED = 8;

/**
 * A fixed Gaussian projection R [from, to] with entries N(0, 1/to), drawn from
 * createRng(seed).child(`${from}x${to}`): the same matrix on every backend and in every run, and
 * E ||v R||^2 = ||v||^2 (Johnson-Lindenstrauss scaling). Kept as a plain array (a few recent
 * shapes) so regularizers hold no tensors between calls.
 */
export function randomProjection(seed: number, from: number, to: number): Float32Array {
  return projectionPair(seed, from, to).r;
}

/** The projection R [from, to] and its transpose R^T [to, from], both row-major. */
export function projectionPair(seed: number, from: number, to: number): { r: Float32Array; rT: Float32Array } {
  const key = `${seed}:${from}x${to}`;
  let pair = cache.get(key);
  if (!pair) {
    const r = createRng(seed).child(`${from}x${to}`).fillNormal(new Float32Array(from * to), 0, 1 / Math.sqrt(to));
    const rT = new Float32Array(from * to);
    for (let i = 0; i < from; i++) for (let j = 0; j < to; j++) rT[j * from + i] = r[i * to + j];
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    pair = { r, rT };
    cache.set(key, pair);
  }
  return pair;
}
