/**
 * pikt's Lanczos route for the kernel-regime analysis of one problem (Hinf given): the spectrum's
 * top (stability), the predicted loss curves at `steps`, iterations to eps with and without the
 * teacher, capacity and complexity. Shared by analysis-2000.bench.ts and the root `pnpm bench`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { denseOperator } from '@pikt/linalg';
import { createLanczosPredictor } from '../src/index.js';

type Operator = Parameters<typeof createLanczosPredictor>[0]['operator'];

export interface AnalysisProblem {
  /** Hinf, row-major n x n (float64). */
  H: Float64Array;
  y: Float64Array;
  z: Float64Array;
  lambda: number;
  eps: number;
}

/** eta = 1 / ((1 + lambda) mu_1), mu_1 from a short Lanczos run (extreme Ritz values converge first). */
export function analysisEta(p: AnalysisProblem): number {
  const mu1 = createLanczosPredictor({ operator: denseOperator(p.H), y: p.y, z: p.z, lambda: p.lambda, eta: 1e-12, maxSteps: 30, watchSteps: [], watchEps: [], onWarning: () => {} }).stability.mu1;
  return 1 / ((1 + p.lambda) * mu1);
}

/** The analysis on `operator` (dense float64 H by default), curves at steps 0..lastStep. */
export function lanczosAnalysis(p: AnalysisProblem, eta: number, lastStep = 1000, operator: Operator = denseOperator(p.H)) {
  const steps = Array.from({ length: lastStep + 1 }, (_, k) => k);
  const pred = createLanczosPredictor({ operator, y: p.y, z: p.z, lambda: p.lambda, eta, watchSteps: [lastStep], watchEps: [p.eps], onWarning: () => {} });
  const curves = pred.lossCurves(steps);
  return { p: pred, curves, iters: pred.iterationsToEps(p.eps), cap: pred.capacity(), cx: pred.complexityTerm() };
}

/** Writes the problem where numpy_route.py reads it: H.f64, y.f64, z.f64 (raw float64) and meta.json. */
export function writeRouteInputs(dir: string, p: AnalysisProblem, eta: number): void {
  writeFileSync(join(dir, 'H.f64'), Buffer.from(p.H.buffer, p.H.byteOffset, p.H.byteLength));
  writeFileSync(join(dir, 'y.f64'), Buffer.from(p.y.buffer, p.y.byteOffset, p.y.byteLength));
  writeFileSync(join(dir, 'z.f64'), Buffer.from(p.z.buffer, p.z.byteOffset, p.z.byteLength));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ n: p.y.length, lambda: p.lambda, eta, eps: p.eps }));
}
