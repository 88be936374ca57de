import type { Rng } from '@pikt/core';

/**
 * He-normal weights for a relu layer: W [fanIn, fanOut] with entries N(0, 2 / fanIn) (He et al.,
 * 2015), so activations keep their scale through depth. Drawn in JS from `rng`: the same numbers on
 * every backend.
 */
export function heNormal(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  return rng.fillNormal(new Float32Array(fanIn * fanOut), 0, Math.sqrt(2 / fanIn));
}

/** Glorot-normal weights for the linear output layer: N(0, 2 / (fanIn + fanOut)). */
export function glorotNormal(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  return rng.fillNormal(new Float32Array(fanIn * fanOut), 0, Math.sqrt(2 / (fanIn + fanOut)));
}
