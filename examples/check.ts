/**
 * Print a measured number beside its limit and remember a miss: an example exits non-zero when a
 * number is off, so CI (and you) see it.
 */
export function check(what: string, value: number, limit: number): void {
  const ok = Number.isFinite(value) && value <= limit;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: ${value.toExponential(3)} (limit ${limit.toExponential(1)})`);
  if (!ok) process.exitCode = 1;
}

/** max_i |a_i - b_i| / max_i |b_i|. */
export function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let gap = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return gap / scale;
}
