import { formatNumber, formatPercent } from './format.js';
import type { Verdict } from './types.js';

export interface JudgeInput {
  prediction: string;
  claim: string;
  measured: number | null | undefined;
  predicted: number | null | undefined;
  /** Largest gap that still counts as agreement. */
  tolerance: number;
  /** Compare |m - p| / |p| (default) or |m - p| (for quantities near zero). */
  gapKind?: 'relative' | 'absolute';
  /** Unit for the sentence, e.g. "iterations". */
  unit?: string;
}

/**
 * Compare one measured number with its prediction and say in plain words whether the prediction
 * held, with the gap. A relative gap against a zero prediction falls back to the absolute gap.
 */
export function judge(input: JudgeInput): Verdict {
  const m = input.measured ?? null;
  const p = input.predicted ?? null;
  let gapKind = input.gapKind ?? 'relative';
  const unit = input.unit ? ` ${input.unit}` : '';
  const base = { prediction: input.prediction, claim: input.claim, measured: m, predicted: p, tolerance: input.tolerance };
  if (m === null || p === null || !Number.isFinite(m) || !Number.isFinite(p)) {
    const which = m === null || !Number.isFinite(m) ? 'the measurement' : 'the prediction';
    const why = (m === null && p === null) ? 'neither was reached' : `${which} is not available (${formatNumber(m)} measured, ${formatNumber(p)} predicted)`;
    return { ...base, gap: null, gapKind, holds: null, words: `${input.prediction} not checked: ${why}.` };
  }
  if (gapKind === 'relative' && p === 0) gapKind = 'absolute';
  const diff = Math.abs(m - p);
  const gap = gapKind === 'relative' ? diff / Math.abs(p) : diff;
  const holds = gap <= input.tolerance;
  const gapText = gapKind === 'relative' ? `${formatPercent(gap)} relative` : `${formatNumber(gap)} absolute`;
  const tolText = gapKind === 'relative' ? formatPercent(input.tolerance) : formatNumber(input.tolerance);
  const words = `${input.prediction} ${holds ? 'holds' : 'does not hold'}: measured ${formatNumber(m)}${unit} vs predicted ${formatNumber(p)}${unit}, a gap of ${gapText} (${holds ? 'within' : 'above'} the ${tolText} tolerance).`;
  return { ...base, gap, gapKind, holds, words };
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
  const gap = a !== null && b !== null && b !== 0 ? (b - a) / Math.abs(b) : null;
  const words = holds === null
    ? `${prediction} not checked: neither ${smaller.name} nor ${larger.name} reached the target.`
    : `${prediction} ${holds ? 'holds' : 'does not hold'}: ${smaller.name} ${fa} vs ${larger.name} ${fb}${gap !== null ? ` (${formatPercent(Math.abs(gap))} ${gap >= 0 ? 'fewer' : 'more'})` : ''}.`;
  return { prediction, claim, measured: a, predicted: b, gap, gapKind: 'relative', tolerance: 0, holds, words };
}

/** A claim that cannot be checked in this setting, with the reason (never silently dropped). */
export function notApplicable(prediction: string, claim: string, reason: string): Verdict {
  return { prediction, claim, measured: null, predicted: null, gap: null, gapKind: 'relative', tolerance: 0, holds: null, words: `${prediction} not checked: ${reason}.` };
}
