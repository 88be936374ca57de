/** P3: the stability bound of GD on the PI objective in the kernel regime. */
export interface Stability {
  eta: number;
  /** 2 / ((1 + lambda) mu_1). */
  etaMax: number;
  /** eta < etaMax. */
  stable: boolean;
  mu1: number;
  /** s = eta (1 + lambda), the step the function-space recursion sees. */
  effectiveStep: number;
}

/** Loss curves of the predicted trajectory at the requested steps. */
export interface LossCurves {
  steps: number[];
  /** 1/2 ||u(k) - y||^2. */
  label: Float64Array;
  /** lambda/2 ||u(k) - z||^2. */
  pi: Float64Array;
  /** label + pi. */
  total: Float64Array;
}

/** A quantity involving H^-1, with the diagonal jitter it used (SCIENCE.md: reported, never silent). */
export interface Capacity {
  value: number;
  jitter: number;
  /** jitter / mu_1. */
  relativeJitter: number;
}

/** P6 with and without the teacher, at the same effective step. */
export interface IterationsToEps {
  eps: number;
  effectiveStep: number;
  /** t = ybar - u0; null when not reached in 10^9 steps. */
  withTeacher: number | null;
  /** t = y - u0. */
  withoutTeacher: number | null;
}

/** Energies (v_j . x)^2, summed over outputs, on each eigenvector (descending eigenvalues). */
export interface Alignment {
  eigenvalues: Float64Array;
  y: Float64Array;
  z: Float64Array;
  ybar: Float64Array;
  /** ybar - u0, the target GD with the teacher fits (P6). */
  teacherTarget: Float64Array;
  /** y - u0, the target without the teacher. */
  plainTarget: Float64Array;
}
