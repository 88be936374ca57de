/** A non-fatal finding the analysis wants the user to see (SCIENCE.md: make differences visible). */
export interface NtkWarning {
  /** Stable code, e.g. PIKT_NTK_NOT_UNIT_NORM. */
  code: string;
  message: string;
  /** Measured numbers behind the warning. */
  details: Record<string, number | string | boolean>;
}

export type WarningSink = (w: NtkWarning) => void;

/** Default sink: console.warn with the code, so the warning is visible without being fatal. */
export const consoleWarning: WarningSink = (w) => {
  console.warn(`[${w.code}] ${w.message}`);
};

/** Norm statistics of the rows of a row-major [n, d] array. */
export interface NormReport {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Rows whose norm differs from 1 by more than the tolerance. */
  offUnit: number;
  tolerance: number;
}

/** Row norms of X [n, d] and how many are off the unit sphere by more than `tolerance`. */
export function rowNormReport(x: ArrayLike<number>, d: number, tolerance = 1e-6): NormReport {
  const n = Math.floor(x.length / d);
  let min = Infinity;
  let max = 0;
  let sum = 0;
  let offUnit = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j];
      s += v * v;
    }
    const norm = Math.sqrt(s);
    min = Math.min(min, norm);
    max = Math.max(max, norm);
    sum += norm;
    if (Math.abs(norm - 1) > tolerance) offUnit += 1;
  }
  return { count: n, min: n ? min : 0, max, mean: n ? sum / n : 0, offUnit, tolerance };
}

/**
 * Warn (through `sink`) when inputs are not unit-norm: the kernel-regime theory of SCIENCE.md
 * section 1 assumes ||x_i|| = 1. The kernels stay exact for any norm; the warning only says the
 * theory's normalization does not hold, with the measured norms. Returns the report.
 */
export function warnIfNotUnitNorm(what: string, x: ArrayLike<number>, d: number, sink: WarningSink | undefined, tolerance = 1e-6): NormReport {
  const r = rowNormReport(x, d, tolerance);
  if (r.offUnit > 0 && sink) {
    sink({
      code: 'PIKT_NTK_NOT_UNIT_NORM',
      message: `${what}: ${r.offUnit} of ${r.count} rows are not unit-norm (norms in [${r.min.toPrecision(6)}, ${r.max.toPrecision(6)}], mean ${r.mean.toPrecision(6)}). ` +
        'The kernel-regime analysis assumes ||x|| = 1; normalize the inputs (datasets: unit-norm transform) or read the results with that in mind.',
      details: { rows: r.count, offUnit: r.offUnit, minNorm: r.min, maxNorm: r.max, meanNorm: r.mean, tolerance },
    });
  }
  return r;
}
