import type { JsonObject } from '@pikt/core';
import type { Verdict } from '../report/types.js';

/** The knobs that distinguish runs within an experiment; null where a knob does not apply. */
export interface RunParams {
  lambda: number | null;
  alpha: number | null;
  width: number | null;
  teacher: string | null;
  embedding: string | null;
  regularizer: string | null;
}

/**
 * Numbers of one run, measured by training or predicted by the kernel-regime theory (SCIENCE.md
 * section 3). Fields are present where they apply; `iterationsToEps` is null when eps is not
 * reached. `trajectoryGap` (against the prediction on Hinf), `trajectoryGapInit` (against the same
 * prediction on the run's own H(W(0)): kernel drift alone) and `kernelDrift` are measured only.
 */
export interface RunNumbers {
  labelErrorFinal?: number;
  piErrorFinal?: number;
  testLoss?: number;
  testAccuracy?: number;
  iterationsToEps?: number | null;
  capacity?: number;
  trajectoryGap?: number;
  trajectoryGapInit?: number;
  kernelDrift?: number;
  [extra: string]: number | null | undefined;
}

/** Curves a figure needs, keyed by name (e.g. `step`, `trainLossMeasured`), all plain numbers. */
export type RunCurves = Record<string, number[]>;

export interface RunRecord {
  label: string;
  params: RunParams;
  measured: RunNumbers;
  predicted: RunNumbers;
  curves?: RunCurves;
  /** Free text the report repeats (e.g. "no kernel prediction for feature matching"). */
  notes?: string[];
  /** Wall time of the run; the only field that differs between identical runs. */
  wallMs?: number;
  /** The run spec's fingerprint (its identity in the scheduler). */
  fingerprint?: string;
  /** Why the run failed, when it did (then measured and predicted are empty). */
  failure?: { message: string; code?: string };
}

export interface ExperimentRecord {
  runs: RunRecord[];
  /** The experiment's verdicts as the report states them (each with its toleranceReason). */
  verdicts?: Verdict[];
}

export interface ResultsEnvironment {
  backend: string;
  node: string;
  cpus: number;
  /** Which float64 kernels ran the analysis (@pikt/linalg's `linalgKernels()`): 'wasm-simd' or 'js'. */
  linalgKernels?: 'wasm-simd' | 'js';
  /** Why the JS kernels ran, when they did. */
  linalgKernelsReason?: string;
  [extra: string]: string | number | undefined;
}

/** `results.json`: the whole reproduce run, shaped as issue 5 specifies. */
export interface ResultsFile {
  version: 1;
  config: JsonObject;
  environment: ResultsEnvironment;
  experiments: Record<string, ExperimentRecord>;
}

export const RESULTS_VERSION = 1;
