import type { Tolerance } from './workloads.js';

/** Median (mean of the middle two for an even count); NaN for no values. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export type CheckValues = Record<string, number | number[] | null>;

/** Worst check of one pikt/peer pair: the key, its error in units of its tolerance scale, and the verdict. */
export interface Agreement {
  peer: string;
  agrees: boolean;
  /** Key with the largest error relative to its allowance (err / allowance). */
  worstKey?: string;
  /** |pikt - peer| / max(|peer|, floor) of that key (arrays: max |difference| / max(max |peer|, floor)). */
  worstError?: number;
  /** What went wrong when a value is missing or not finite. */
  problem?: string;
}

/**
 * Compares pikt's check values with a peer's: for each tolerance key,
 *   err = |p - q| / max(|q|, floor)   (arrays: max_i |p_i - q_i| / max(max_i |q_i|, floor)),
 * and agrees when err <= rel for every key (rel = 0 with floor 1: |p - q| <= 0, so exact, unless
 * floor is set to allow +-floor * rel). A missing or non-finite value does not agree.
 */
export function compareChecks(peer: string, pikt: CheckValues, other: CheckValues, tolerances: Record<string, Tolerance>): Agreement {
  let worst: { key: string; err: number; ratio: number } | undefined;
  for (const [key, tol] of Object.entries(tolerances)) {
    const p = pikt[key], q = other[key];
    const ps = p === null || p === undefined ? [] : Array.isArray(p) ? p : [p];
    const qs = q === null || q === undefined ? [] : Array.isArray(q) ? q : [q];
    if (ps.length === 0 || ps.length !== qs.length) return { peer, agrees: false, worstKey: key, problem: `"${key}": pikt has ${ps.length} value(s), ${peer} ${qs.length}` };
    if (![...ps, ...qs].every(Number.isFinite)) return { peer, agrees: false, worstKey: key, problem: `"${key}" is not finite` };
    let diff = 0, scale = tol.floor ?? 0;
    for (let i = 0; i < ps.length; i++) {
      diff = Math.max(diff, Math.abs(ps[i] - qs[i]));
      scale = Math.max(scale, Math.abs(qs[i]));
    }
    const err = scale > 0 ? diff / scale : diff;
    const ratio = tol.rel > 0 ? err / tol.rel : err > 0 ? Infinity : 0;
    if (!worst || ratio > worst.ratio) worst = { key, err, ratio };
  }
  if (!worst) return { peer, agrees: true };
  return { peer, agrees: worst.ratio <= 1, worstKey: worst.key, worstError: worst.err };
}
