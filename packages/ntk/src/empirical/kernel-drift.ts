import { ShapeMismatchError } from '@pikt/core';
import { structuredNtk, structuredNtkAsync, type StructuredNtkOptions } from './structured-ntk.js';
import { type RealArray } from '@pikt/linalg';

/**
 * Relative kernel drift (SCIENCE.md P8):
 *
 *     drift = ||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F,
 *
 * the number that says whether training stayed in the kernel regime (it shrinks like 1/sqrt(m)).
 * Also usable as the relative error of an empirical Gram against Hinf (pass Hinf as `reference`).
 */
export function kernelDrift(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length !== current.length) throw new ShapeMismatchError('kernelDrift (two Gram matrices)', [reference.length], [current.length]);
  let num = 0;
  let den = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i];
    const diff = current[i] - r;
    num += diff * diff;
    den += r * r;
  }
  return den === 0 ? (num === 0 ? 0 : Infinity) : Math.sqrt(num / den);
}

/** Drift between the structured empirical NTKs at two first layers W(0) and W(k) ([m, d] each). */
export function kernelDriftFromWeights(x: RealArray, w0: RealArray, wk: RealArray, opts: StructuredNtkOptions): { drift: number; h0: Float64Array; hk: Float64Array } {
  const h0 = structuredNtk(x, null, w0, opts).data;
  const hk = structuredNtk(x, null, wk, opts).data;
  return { drift: kernelDrift(h0, hk), h0, hk };
}

/** `kernelDriftFromWeights` with the Grams read by `await data()` (GPU backends). */
export async function kernelDriftFromWeightsAsync(x: RealArray, w0: RealArray, wk: RealArray, opts: StructuredNtkOptions): Promise<{ drift: number; h0: Float64Array; hk: Float64Array }> {
  const h0 = (await structuredNtkAsync(x, null, w0, opts)).data;
  const hk = (await structuredNtkAsync(x, null, wk, opts)).data;
  return { drift: kernelDrift(h0, hk), h0, hk };
}
