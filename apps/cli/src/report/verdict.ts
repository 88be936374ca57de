import { formatNumber, formatPercent } from './format.js';
import type { Verdict } from './types.js';

export interface JudgeInput {
  prediction: string;
  claim: string;
  measured: number | null | undefined;
  predicted: number | null | undefined;
  /** Largest gap that still counts as agreement. */
  tolerance: number;
  /** Why the tolerance is what it is (printed beside the verdict and kept in results.json). */
  toleranceReason: string;
  /** Compare |m - p| / |p| (default), |m - p|, or |m - p| / scale (`scale` given). */
  gapKind?: 'relative' | 'absolute';
  /**
   * The problem's scale (e.g. ||y|| for a label error, max |ybar| for a trajectory): when given the
   * gap is |m - p| / scale, so a prediction near zero is never the denominator.
   */
  scale?: { name: string; value: number };
  /** Unit for the sentence, e.g. "iterations". */
  unit?: string;
  /** Spread over seeds when measured is a mean. */
  spread?: string;
}

/** Below this magnitude a prediction is never the denominator of a relative gap (float64 analysis of O(1) targets). */
export const NEAR_ZERO = 1e-6;

/**
 * Compare one measured number with its prediction and say in plain words whether the prediction
 * held, with the gap and the tolerance's reason. With `scale` the gap is |m - p| / scale; a
 * relative gap against a prediction below NEAR_ZERO in magnitude falls back to the absolute gap.
 */
export function judge(input: JudgeInput): Verdict {
  const m = input.measured ?? null;
  const p = input.predicted ?? null;
  let gapKind: Verdict['gapKind'] = input.scale ? 'scaled' : (input.gapKind ?? 'relative');
  const unit = input.unit ? ` ${input.unit}` : '';
  const base = {
    prediction: input.prediction, claim: input.claim, measured: m, predicted: p, tolerance: input.tolerance, toleranceReason: input.toleranceReason,
    ...(input.scale ? { scale: input.scale } : {}), ...(input.spread ? { spread: input.spread } : {}),
  };
  if (m === null || p === null || !Number.isFinite(m) || !Number.isFinite(p)) {
    const which = m === null || !Number.isFinite(m) ? 'the measurement' : 'the prediction';
    const why = (m === null && p === null) ? 'neither was reached' : `${which} is not available (${formatNumber(m)} measured, ${formatNumber(p)} predicted)`;
    return { ...base, gap: null, gapKind, holds: null, words: `${input.prediction} not checked: ${why}.` };
  }
  if (gapKind === 'scaled' && !(input.scale && input.scale.value > 0)) gapKind = 'absolute';
  if (gapKind === 'relative' && Math.abs(p) < NEAR_ZERO) gapKind = 'absolute';
  const diff = Math.abs(m - p);
  const gap = gapKind === 'relative' ? diff / Math.abs(p) : gapKind === 'scaled' ? diff / (input.scale as { value: number }).value : diff;
  const holds = gap <= input.tolerance;
  const gapText = gapKind === 'relative' ? `${formatPercent(gap)} relative` : gapKind === 'scaled' ? `${formatPercent(gap)} of ${input.scale?.name} = ${formatNumber(input.scale?.value)}` : `${formatNumber(gap)} absolute`;
  const tolText = gapKind === 'absolute' ? formatNumber(input.tolerance) : formatPercent(input.tolerance);
  const spread = input.spread ? ` (${input.spread})` : '';
  const words = `${input.prediction} ${holds ? 'holds' : 'does not hold'}: measured ${formatNumber(m)}${unit}${spread} vs predicted ${formatNumber(p)}${unit}, a gap of ${gapText} (${holds ? 'within' : 'above'} the ${tolText} tolerance).`;
  return { ...base, gap, gapKind, holds, words };
}

/** A measured number that must fall inside [lo, hi] (e.g. a fitted log-log slope). */
export function judgeWithin(prediction: string, claim: string, measured: number | null | undefined, range: [number, number], toleranceReason: string, spread?: string): Verdict {
  const m = measured ?? null;
  const [lo, hi] = range;
  const mid = (lo + hi) / 2;
  const base = { prediction, claim, measured: m, predicted: mid, tolerance: (hi - lo) / 2, toleranceReason, gapKind: 'absolute' as const, ...(spread ? { spread } : {}) };
  if (m === null || !Number.isFinite(m)) return { ...base, gap: null, holds: null, words: `${prediction} not checked: the measurement is not available.` };
  const holds = m >= lo && m <= hi;
  return { ...base, gap: Math.abs(m - mid), holds, words: `${prediction} ${holds ? 'holds' : 'does not hold'}: measured ${formatNumber(m)}${spread ? ` (${spread})` : ''}, ${holds ? 'inside' : 'outside'} [${formatNumber(lo)}, ${formatNumber(hi)}].` };
}

/** Attach what explains a verdict that does not hold (kept only on verdicts that do not hold). */
export function explain(v: Verdict, explanation: string | undefined): Verdict {
  return v.holds === false && explanation ? { ...v, explanation } : v;
}

/**
 * A comparative claim ("the teacher reduces the number of iterations"): holds when `smaller` is
 * below `larger` (null counts as "never reached", i.e. infinitely many).
 */
export function judgeLess(prediction: string, claim: string, smaller: { name: string; value: number | null | undefined }, larger: { name: string; value: number | null | undefined }, unit = ''): Verdict {
  const a = smaller.value ?? null;
  const b = larger.value ?? null;
  const u = unit ? ` ${unit}` : '';
  const fa = a === null ? 'never' : `${formatNumber(a)}${u}`;
  const fb = b === null ? 'never' : `${formatNumber(b)}${u}`;
  let holds: boolean | null;
  if (a === null && b === null) holds = null;
  else if (a === null) holds = false;
  else if (b === null) holds = true;
  else holds = a < b;
  const gap = a !== null && b !== null && Math.abs(b) >= NEAR_ZERO ? (b - a) / Math.abs(b) : null;
  const words = holds === null
    ? `${prediction} not checked: neither ${smaller.name} nor ${larger.name} reached the target.`
    : `${prediction} ${holds ? 'holds' : 'does not hold'}: ${smaller.name} ${fa} vs ${larger.name} ${fb}${gap !== null ? ` (${formatPercent(Math.abs(gap))} ${gap >= 0 ? 'fewer' : 'more'})` : ''}.`;
  return { prediction, claim, measured: a, predicted: b, gap, gapKind: 'relative', tolerance: 0, toleranceReason: 'an inequality between two measurements: no tolerance', holds, words };
}

/** A claim that cannot be checked in this setting, with the reason (never silently dropped). */
export function notApplicable(prediction: string, claim: string, reason: string): Verdict {
  return { prediction, claim, measured: null, predicted: null, gap: null, gapKind: 'relative', tolerance: 0, toleranceReason: 'not checked: no tolerance applies', holds: null, words: `${prediction} not checked: ${reason}.` };
}

/**
 * A trend claim: the values grow along `points` (ordered from the mildest to the strongest violation
 * of an assumption). Holds when each value exceeds the one before; null values (not measured) are
 * skipped, and fewer than two values cannot be checked.
 */
export function judgeGrowing(prediction: string, claim: string, points: ReadonlyArray<{ name: string; value: number | null | undefined }>): Verdict {
  const have = points.filter((p): p is { name: string; value: number } => typeof p.value === 'number' && Number.isFinite(p.value));
  const base = { prediction, claim, predicted: null, gap: null, gapKind: 'relative' as const, tolerance: 0, toleranceReason: 'an ordering of measurements: no tolerance' };
  if (have.length < 2) return { ...base, measured: null, holds: null, words: `${prediction} not checked: fewer than two measured points.` };
  const holds = have.every((p, i) => i === 0 || p.value > have[i - 1].value);
  const list = have.map((p) => `${p.name} ${formatNumber(p.value)}`).join(', ');
  return { ...base, measured: have[have.length - 1].value, holds, words: `${prediction} ${holds ? 'holds' : 'does not hold'}: ${list}${holds ? '' : ' (not increasing throughout)'}.` };
}
