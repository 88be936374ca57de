/**
 * Numbers for humans: 4 significant digits, scientific form outside [1e-3, 1e5), integers as is,
 * "n/a" for null/undefined/NaN. Deterministic (no locale).
 */
export function formatNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) {
    const [m, e] = v.toExponential(digits - 1).split('e');
    return `${trimZeros(m)}e${Number(e)}`;
  }
  return trimZeros(v.toPrecision(digits));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** A relative gap as a percentage with two significant digits: 0.0123 -> "1.2%". */
export function formatPercent(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return 'n/a';
  const pct = v * 100;
  if (pct !== 0 && Math.abs(pct) < 0.01) return `${formatNumber(pct, 2)}%`;
  return `${trimZeros(pct.toPrecision(2).includes('e') ? pct.toFixed(0) : pct.toPrecision(2))}%`;
}
