import type { DemoState } from './state.js';

/** Messages between the page and the training worker: plain numbers and strings only (structured clone). */
export type ToWorker =
  | { type: 'start'; state: DemoState; assetBase: string; play: boolean }
  | { type: 'play' } | { type: 'pause' } | { type: 'step' } | { type: 'reset' }
  | { type: 'csv'; text: string; name: string; state: DemoState };

/** What the theory says before training starts (SCIENCE.md P1-P8), for the dashed curves and views. */
export interface Setup {
  task: string; n: number; d: number; nTest: number; K: number;
  backend: string; backendDevice: string;
  /** Threads training the student: 1 (the worker), or the shard workers of a width-sharded run (worker/shards.ts). */
  workers: number;
  lambda: number; alpha: number; curvature: number; muMax: number; eta: number; bound: number; stable: boolean;
  regularizer: string; predictor: 'closed-form' | 'generic' | 'none'; optimizer: 'gd' | 'sgd';
  teacher: { trainSamples: number; testAccuracy: number; trainAccuracy: number; labelNoise: number };
  /** Predicted per-sample losses at steps predSteps: label 1/(2n)||u-y||^2, PI lambda/(2n)||u-z||^2, test 1/(2 n*)||f-y*||^2. */
  predSteps: number[]; predLabel: number[]; predPi: number[]; predTest: number[];
  /** Spectrum of Hinf (top eigenvalues) and the energy (v_i . t)^2 of y, z, ybar on each eigenvector. */
  eigenvalues: number[]; energyY: number[]; energyZ: number[]; energyYbar: number[];
  /** Energy of the target GD fits, ybar - u0, on each eigenvector, and the effective step s = eta (1 + lambda). */
  energyTarget: number[]; effectiveStep: number;
  iterations: { eps: number; withTeacher: number | null; withoutTeacher: number | null };
  /** P4/P5 trade-off over alpha: label error alpha ||z - y|| and capacity sqrt((ybar-u0)^T H^-1 (ybar-u0)). */
  tradeoff: { alpha: number[]; labelError: number[]; capacity: number[]; current: { alpha: number; labelError: number; capacity: number } };
  labelErrorPredicted: number;
  /** Hinf on a class-sorted subsample (side x side, row-major) for the heat map. */
  heat: { side: number; hinf: number[]; order: number[] };
  /** 2-D sets: the grid (side x side over [x0,x1] x [y0,y1]), the teacher's outputs on it, the train points. */
  plane?: { side: number; box: [number, number, number, number]; teacher: number[]; points: number[]; labels: number[] };
  notes: string[];
}

/** Measured numbers of one step k (all from u(k) and the trainer's events). */
export interface StepRow {
  k: number; label: number; pi: number; total: number; weightDistance: number;
  /** max_i |u_meas(k)_i - u_pred(k)_i| / max_i |ybar_i| (NaN without a prediction). */
  gap: number;
}

export type FromWorker =
  | { type: 'status'; text: string }
  | { type: 'setup'; runId: number; setup: Setup }
  | { type: 'rows'; runId: number; rows: StepRow[]; tests: { k: number; loss: number; accuracy: number }[]; drift: { k: number; drift: number }[]; heat?: number[]; regions?: number[]; regionsStep?: number }
  | { type: 'state'; runId: number; playing: boolean; done: boolean; step: number }
  | { type: 'done'; runId: number; summary: RunSummary }
  | { type: 'error'; runId: number; message: string }
  | { type: 'csv-ok'; name: string; rows: number }
  | { type: 'csv-error'; message: string };

export interface RunSummary {
  steps: number; finalLabel: number; finalPi: number; finalTest: number | null; testAccuracy: number | null;
  gap: number; kernelDrift: number | null; stepsPerSecond: number; elapsedMs: number; status: string;
  /** Worker time in the live overlay (theory, kernel drift, regions, messages), pauses excluded; kernelMs: the drift and regions part. */
  overlayMs: number; kernelMs: number;
}
