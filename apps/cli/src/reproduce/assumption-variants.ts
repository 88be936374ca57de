import { createRng } from '@pikt/core';
import { eighFactor } from '@pikt/linalg';
import { hinf, twoLayerNtk } from '@pikt/ntk';
import type { EmbeddedTask } from './student-run.js';

/**
 * Variants of a task embedding that break one assumption of the kernel analysis (E7), each with the
 * kernel the theory would use for it, so that the measured-vs-predicted gap isolates the violation.
 */

/**
 * Both layers trained: the theory's Gram becomes the two-layer NTK (SCIENCE.md section 3)
 *
 *     Theta(x, x') = x.x' (pi - theta)/(2 pi) + kappa^2 ||x|| ||x'|| (sin theta + (pi - theta) cos theta)/(2 pi).
 */
export function twoLayerTask(task: EmbeddedTask, kappa: number): EmbeddedTask {
  const opts = { inputDim: task.d, trainLayers: 'both' as const, kappa, onWarning: () => undefined };
  const H = twoLayerNtk(task.x, null, opts).data;
  return { ...task, H, basis: eighFactor(H), hTest: twoLayerNtk(task.xTest, task.x, opts).data };
}

/**
 * Inputs that are not unit-norm: every row (train and test) scaled by 2^u, u uniform on [-1, 1]
 * (seeded), so norms spread over [0.5, 2]. Hinf is recomputed on the scaled inputs with the
 * formula's own norms, x.x' (pi - theta)/(2 pi), as a user who skips normalization would get it.
 */
export function unevenNormTask(task: EmbeddedTask, seed: string): EmbeddedTask {
  const rng = createRng(seed);
  const scale = (x: Float64Array, rows: number) => {
    const out = new Float64Array(x.length);
    for (let i = 0; i < rows; i++) {
      const f = 2 ** (2 * rng.uniform() - 1);
      for (let j = 0; j < task.d; j++) out[i * task.d + j] = f * x[i * task.d + j];
    }
    return out;
  };
  const x = scale(task.x, task.n);
  const xTest = scale(task.xTest, task.nTest);
  const opts = { inputDim: task.d, onWarning: () => undefined };
  const H = hinf(x, null, opts).data;
  return { ...task, x, xTest, H, basis: eighFactor(H), hTest: hinf(xTest, x, opts).data };
}
