/**
 * Small float64 helpers for the measured-vs-predicted numbers of a run. Distances, losses and
 * accuracy come from @pikt/core's metrics, the same functions the trainer measures with.
 */

/** max_k max_i |measured_k[i] - predicted_k[i]| / scale over the steps both have. */
export function trajectoryGap(measured: readonly ArrayLike<number>[], predicted: readonly ArrayLike<number>[], scale: number): number {
  let g = 0;
  for (let k = 0; k < Math.min(measured.length, predicted.length); k++) {
    for (let i = 0; i < measured[k].length; i++) g = Math.max(g, Math.abs(measured[k][i] - predicted[k][i]));
  }
  return scale > 0 ? g / scale : g;
}

/** First k with residual[k] <= eps, or null when never reached within the recorded steps. */
export function firstBelow(residual: readonly number[], eps: number): number | null {
  const k = residual.findIndex((r) => r <= eps);
  return k < 0 ? null : k;
}

/** Indices 0..last thinned to at most `points` (always keeping both ends), for curves in results.json. */
export function thin(last: number, points: number): number[] {
  if (last + 1 <= points) return Array.from({ length: last + 1 }, (_, i) => i);
  const out = new Set<number>();
  for (let i = 0; i < points; i++) out.add(Math.round((i * last) / (points - 1)));
  return [...out].sort((a, b) => a - b);
}

/** Round to 12 significant digits: results.json stays readable and identical across reruns. */
export function r12(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(12)) : v;
}
