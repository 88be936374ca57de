import { PiktError } from '@pikt/core';

/** JSON paths (`a.b[2]`) of the numbers in `value` that are NaN or infinite. */
export function nonFinitePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [prefix || '(value)'];
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as ArrayLike<number>;
    for (let i = 0; i < arr.length; i++) if (!Number.isFinite(arr[i])) return [`${prefix}[${i}]`];
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinitePaths(v, `${prefix}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => nonFinitePaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

/** A result the command computed is NaN or infinite: it is never printed as `null` or `inf`. */
export class NonFiniteResultError extends PiktError {
  constructor(readonly command: string, readonly paths: readonly string[], hint: string) {
    super('PIKT_NON_FINITE_RESULT',
      `pikt ${command} computed non-finite numbers: ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}.`,
      hint);
  }
}

/** Throw NonFiniteResultError when any number of `value` is non-finite. */
export function assertFiniteResult(command: string, value: unknown, hint: string): void {
  const bad = nonFinitePaths(value);
  if (bad.length > 0) throw new NonFiniteResultError(command, bad, hint);
}

/**
 * Largest |v| whose square, summed over a few thousand terms, stays finite in float64: sqrt(max
 * double / 1e6) ~ 1.3e151. Inputs above it overflow the Gram, the capacity y^T H^-1 y or a loss.
 */
export const MAX_SAFE_MAGNITUDE = 1e150;

/** Refuse data whose magnitudes overflow float64 once squared, naming the file and the value. */
export function checkMagnitude(file: string, x: ArrayLike<number>, d: number): void {
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]) > MAX_SAFE_MAGNITUDE) {
      throw new PiktError('PIKT_VALUE_TOO_LARGE',
        `${file} (row ${Math.floor(i / d) + 1}, column ${(i % d) + 1}) holds ${x[i]}, beyond +-${MAX_SAFE_MAGNITUDE}: its square overflows float64, so the analysis would print inf.`,
        'Rescale the column (e.g. divide by its largest value) before the analysis.');
    }
  }
}

/** Rows i < j of a row-major [n, d] array that are bit-identical: first duplicate pair, and how many rows repeat. */
export function duplicateRows(x: Float64Array, n: number, d: number): { count: number; first?: [number, number] } {
  const seen = new Map<string, number>();
  let count = 0;
  let first: [number, number] | undefined;
  const bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  const decoder = new TextDecoder('latin1');
  for (let i = 0; i < n; i++) {
    const key = decoder.decode(bytes.subarray(i * d * 8, (i + 1) * d * 8));
    const j = seen.get(key);
    if (j === undefined) { seen.set(key, i); continue; }
    count += 1;
    first ??= [j, i];
  }
  return { count, ...(first ? { first } : {}) };
}

/** Condition estimate mu_max / mu_min above which a Gram solve is set by its jitter (float64 keeps ~16 digits). */
export const ILL_CONDITIONED = 1e10;

/**
 * Warning for an ill-conditioned Gram H: condition mu_max / mu_min above ILL_CONDITIONED (or a zero
 * or negative mu_min), or duplicate rows (which make H exactly singular). Says the jitter used.
 */
export function gramConditionWarning(values: ArrayLike<number>, jitter: number, duplicates: { count: number; first?: [number, number] }): string | undefined {
  const muMax = values[0];
  const muMin = values[values.length - 1];
  const cond = muMin > 0 ? muMax / muMin : Infinity;
  if (cond <= ILL_CONDITIONED && duplicates.count === 0) return undefined;
  const why = duplicates.count > 0 && duplicates.first
    ? `${duplicates.count} training row(s) repeat an earlier one (rows ${duplicates.first[0] + 1} and ${duplicates.first[1] + 1} are identical), so H is singular`
    : `its condition estimate mu_max / mu_min is ${Number.isFinite(cond) ? cond.toExponential(2) : 'infinite'} (above ${ILL_CONDITIONED.toExponential(0)})`;
  return `[PIKT_GRAM_ILL_CONDITIONED] the Gram matrix is ill-conditioned: ${why}; H^-1 quantities (capacity, complexity, the k = infinity test prediction) are set by the jitter ${jitter.toExponential(3)} added to its eigenvalues. Remove duplicate rows or read those numbers as jitter-dependent.`;
}
