import type { SpectralMeasure } from './spectral-math.js';
import { applyRule, gaussRadauRule, gaussRule, type LanczosRun } from '@pikt/linalg';

/** The Gauss and Gauss-Radau (node 0) measures of one Lanczos run, ||b||^2 its total mass. */
export interface Bounds {
  gauss: SpectralMeasure;
  radau: SpectralMeasure | null;
  norm2: number;
  /** sum_j w_j f(theta_j) under the Gauss rule. */
  gaussQuad(f: (x: number) => number): number;
  /** The same under Gauss-Radau (null when unavailable). */
  radauQuad(f: (x: number) => number): number | null;
}

export function spectralBounds(run: LanczosRun): Bounds {
  const gauss = gaussRule(run);
  const radau = gaussRadauRule(run, 0);
  return {
    gauss,
    radau,
    norm2: run.norm * run.norm,
    gaussQuad: (f) => applyRule(gauss, f),
    radauQuad: (f) => (radau ? applyRule(radau, f) : null),
  };
}
