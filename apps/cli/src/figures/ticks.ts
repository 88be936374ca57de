/** An axis scale: the domain shown and the tick positions, in data units. */
export interface AxisTicks {
  domain: [number, number];
  ticks: number[];
  log: boolean;
}

/**
 * "Nice" linear ticks: a step of 1, 2 or 5 times a power of ten giving about `target` intervals,
 * the domain widened to whole steps. A degenerate range (min == max) is widened around the value.
 */
export function linearTicks(min: number, max: number, target = 5): AxisTicks {
  let lo = min;
  let hi = max;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = 0; hi = 1; }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const mult = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10;
  const step = mult * power;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  // Integer multiples of the step avoid accumulated float error (0.1 + 0.2 != 0.3).
  for (let i = first; i <= last; i++) ticks.push(roundTo(i * step, step));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, log: false };
}

/**
 * Log-scale ticks at powers of ten covering [min, max] (both > 0). Within a single decade, 2x and
 * 5x are added so the axis still has labels; past 8 decades every other power is kept.
 */
export function logTicks(min: number, max: number): AxisTicks {
  let lo = min > 0 && Number.isFinite(min) ? min : 1;
  let hi = max > 0 && Number.isFinite(max) ? max : lo * 10;
  if (hi < lo) [lo, hi] = [hi, lo];
  const a = Math.floor(Math.log10(lo) + 1e-12);
  let b = Math.ceil(Math.log10(hi) - 1e-12);
  if (b === a) b = a + 1;
  const decades: number[] = [];
  for (let k = a; k <= b; k++) decades.push(k);
  let ticks: number[];
  if (b - a <= 2) {
    ticks = [];
    for (const k of decades) for (const m of [1, 2, 5]) if (k < b || m === 1) ticks.push(Number(`${m}e${k}`));
  } else {
    const every = b - a > 8 ? 2 : 1;
    if ((b - a) % every !== 0) b += 1;
    ticks = [];
    for (let k = a; k <= b; k += every) ticks.push(Number(`1e${k}`));
  }
  return { domain: [Number(`1e${a}`), Number(`1e${b}`)], ticks, log: true };
}

function roundTo(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  const r = Number(v.toFixed(Math.min(20, decimals)));
  return Object.is(r, -0) ? 0 : r;
}

/**
 * Tick label text, deterministic and short: plain decimals between 1e-3 and 1e5 (as many
 * decimals as the step needs), otherwise `m e k` scientific form such as `2e-4` or `1.5e6`.
 */
export function formatTick(v: number, step?: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e5 || abs < 1e-3) {
    const exp = Math.floor(Math.log10(abs) + 1e-12);
    const mant = Number((v / 10 ** exp).toPrecision(3));
    return `${mant}e${exp}`;
  }
  const ref = step !== undefined && step > 0 ? step : abs;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(ref) + 1e-12)));
  const dec = Number.isInteger(Number((ref * 10 ** decimals).toFixed(6))) ? decimals : decimals + 1;
  return v.toFixed(dec);
}
