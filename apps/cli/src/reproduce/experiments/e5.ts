import { formatNumber } from '../../report/format.js';
import { explain, judgeLess, judgeWithin } from '../../report/verdict.js';
import type { RunRecord } from '../../results/types.js';
import type { ExperimentDefinition } from '../types.js';
import { figure, groupBySeed, meanSd, measuredCol, numbersTable, predictedCol, runVerdicts, runNotes, withSeeds } from './common.js';

const widthOf = (r: RunRecord) => r.params.width;

/** Least-squares slope of log y against log x over the finite positive points. */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number | null {
  const pts = xs.map((x, i) => [x, ys[i]]).filter(([x, y]) => x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => [Math.log(x), Math.log(y)]);
  if (pts.length < 2) return null;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const sxx = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return sxx === 0 ? null : pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / sxx;
}

/** The window of a fitted m^(-1/2) slope: fixed before any run (issue 13), not fitted. */
export const SLOPE_RANGE: [number, number] = [-0.75, -0.25];
const SLOPE_REASON = 'an O(1/sqrt(m)) error has slope -1/2; +-0.25 allows for a fit over a handful of widths, each a random draw of m neurons (the window is fixed in advance, issue 13)';

/** E5: the width sweep (P8): gaps to the predictions on Hinf and on H(W(0)), kernel drift, H(W(0)) vs Hinf, over seeds. */
export const e5: ExperimentDefinition = {
  id: 'E5',
  title: 'width sweep',
  question: 'Is the theory about "extremely wide" students: does the gap to the infinite-width (Hinf) prediction fall like m^(-1/2), and do the gap to the prediction on H(W(0)), the kernel drift and the error of H(W(0)) against Hinf shrink as m grows?',
  plan: (p) => p.widths.flatMap((width) => withSeeds(p, {
    experiment: 'E5' as const, label: `m=${width}`,
    knobs: { lambda: p.lambda, width, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic' },
  })),
  report(runs, ctx) {
    const groups = groupBySeed(runs).sort((a, b) => (a.runs[0].params.width ?? 0) - (b.runs[0].params.width ?? 0));
    const ms = groups.map((g) => g.runs[0].params.width ?? NaN);
    const stat = (f: string) => groups.map((g) => meanSd(g.runs.map((r) => (typeof r.measured[f] === 'number' ? (r.measured[f] as number) : null))));
    const meanOf = (f: string) => stat(f).map((s) => s?.mean ?? NaN);
    const seeds = Math.max(...groups.map((g) => g.runs.length), 1);
    // The slope per seed (seed s's run at every width), for the spread of the fitted slope.
    const slopes = (f: string) => {
      const per = Array.from({ length: seeds }, (_, s) => logLogSlope(ms, groups.map((g) => (typeof g.runs[s]?.measured[f] === 'number' ? (g.runs[s].measured[f] as number) : NaN))));
      return meanSd(per);
    };
    const spread = (s: ReturnType<typeof slopes>) => (s && s.n > 1 ? `slopes of the ${s.n} seeds: sd ${s.sd.toFixed(3)}` : undefined);
    const gapSlope = logLogSlope(ms, meanOf('trajectoryGap'));
    const initSlope = logLogSlope(ms, meanOf('ntkInitError'));
    const ref = (ys: number[]) => ms.map((m) => (Number.isFinite(ys[0]) ? ys[0] * Math.sqrt(ms[0] / m) : NaN));
    const mAxis = { label: 'width m', unit: 'neurons', log: true };
    const verdicts = groups.flatMap((g) => runVerdicts(g.runs, ['P2'], g.label));
    if (groups.length > 1) {
      const [lo, hi] = [0, groups.length - 1];
      const mean = (i: number, f: string) => stat(f)[i]?.mean;
      // A slope outside the window by less than the seeds' spread of slopes is the fit's own noise.
      const fitNoise = (slope: number | null, f: string) => {
        const sd = slopes(f);
        const off = slope === null ? Infinity : Math.max(SLOPE_RANGE[0] - slope, slope - SLOPE_RANGE[1], 0);
        return sd && sd.n > 1 && off <= sd.sd ? `finite-width theory: the slope is fitted over ${ms.length} widths of random neurons; it is outside the window by ${formatNumber(off)}, less than the seeds' spread of slopes (sd ${formatNumber(sd.sd)})` : undefined;
      };
      verdicts.push(explain(judgeWithin('P8 (Hinf gap slope)', 'the gap to the infinite-width (Hinf) trajectory falls like m^(-1/2): fitted log-log slope of the mean gap over the widths', gapSlope, SLOPE_RANGE, SLOPE_REASON, spread(slopes('trajectoryGap'))), fitNoise(gapSlope, 'trajectoryGap')));
      // A comparison that fails within the seeds' spread is the finite-width noise, not a trend.
      const noise = (f: string) => {
        const [a, b] = [stat(f)[hi], stat(f)[lo]];
        return a && b && a.n > 1 && Math.abs(a.mean - b.mean) <= a.sd + b.sd
          ? `finite-width theory: ${f} is a random O(1/sqrt(m)) quantity; the two means differ by less than their seeds' spread (sd ${formatNumber(a.sd)} and ${formatNumber(b.sd)})`
          : undefined;
      };
      verdicts.push(explain(judgeLess('P8 (gap on H(W0))', 'the gap to the prediction on each run\'s own H(W(0)) (kernel drift alone) shrinks as m grows (seed means)', { name: `gap at m=${ms[hi]}`, value: mean(hi, 'trajectoryGapInit') }, { name: `gap at m=${ms[lo]}`, value: mean(lo, 'trajectoryGapInit') }), noise('trajectoryGapInit')));
      verdicts.push(explain(judgeLess('P8 (drift)', 'the kernel drift ||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F shrinks as m grows (seed means)', { name: `drift at m=${ms[hi]}`, value: mean(hi, 'kernelDrift') }, { name: `drift at m=${ms[lo]}`, value: mean(lo, 'kernelDrift') }), noise('kernelDrift')));
      verdicts.push(explain(judgeWithin('P8 (Gram slope)', 'the relative error of H(W(0)) against Hinf falls like 1/sqrt(m): fitted log-log slope of the seed means', initSlope, SLOPE_RANGE, SLOPE_REASON, spread(slopes('ntkInitError'))), fitNoise(initSlope, 'ntkInitError')));
    }
    const series = (f: string, label: string) => {
      const st = stat(f);
      const ys = st.map((s) => s?.mean ?? NaN);
      return [
        { label: `${label} (measured)`, group: label, kind: 'measured' as const, x: ms, y: ys, markers: true, ...(seeds > 1 ? { band: { lower: st.map((s) => (s ? s.mean - s.sd : NaN)), upper: st.map((s) => (s ? s.mean + s.sd : NaN)) } } : {}) },
        { label: '1/sqrt(m) slope (theory)', group: label, kind: 'predicted' as const, x: ms, y: ref(ys) },
      ];
    };
    const sorted = groups.flatMap((g) => g.runs);
    return {
      id: 'E5', title: e5.title, question: e5.question,
      setup: `${ctx.setup}. Widths m = ${ctx.preset.widths.join(', ')}, ${seeds} student seed(s) each, lambda = ${ctx.preset.lambda}, ${ctx.preset.steps} GD steps each. Points are seed means, shaded bands mean +- sd.`,
      table: numbersTable(sorted, [['run', (r) => r.label], ['width m', widthOf]], [['labelErrorFinal', 'label error'], ['testLoss', 'test loss']],
        [predictedCol('labelErrorFinalInit', 'label error on H(W0) (theory)'), measuredCol('trajectoryGap', 'gap to Hinf'), measuredCol('trajectoryGapInit', 'gap to H(W0)'), measuredCol('kernelDrift', 'kernel drift'), measuredCol('ntkInitError', '||H(W0) - Hinf|| / ||Hinf||')]),
      figures: [
        figure('e5-gap', 'Largest gap between measured outputs and the infinite-width (Hinf) prediction, relative to max |ybar|, against width (seed means, band +- sd); dashed: a 1/sqrt(m) slope through the first point.',
          { title: 'E5: gap to the Hinf prediction vs width', x: mAxis, y: { label: 'trajectory gap', unit: 'max |u - u_pred| / max |ybar|', log: true }, series: series('trajectoryGap', 'gap to Hinf') }),
        figure('e5-gap-init', 'Gap to the prediction on each run\'s own H(W(0)): what remains is the kernel drift during training.',
          { title: 'E5: gap to the H(W(0)) prediction vs width', x: mAxis, y: { label: 'trajectory gap', unit: 'max |u - u_pred| / max |ybar|', log: true }, series: series('trajectoryGapInit', 'gap to H(W0)') }),
        figure('e5-drift', 'Kernel drift over training against width.',
          { title: 'E5: kernel drift vs width', x: mAxis, y: { label: 'kernel drift', unit: '||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F', log: true }, series: series('kernelDrift', 'drift') }),
        figure('e5-init-error', 'Relative Frobenius error of the empirical Gram H(W(0)) against Hinf; the theory predicts slope -1/2.',
          { title: 'E5: H(W(0)) vs Hinf', x: mAxis, y: { label: 'relative error', unit: '||H(W0) - Hinf||_F / ||Hinf||_F', log: true }, series: series('ntkInitError', 'Gram error') }),
      ],
      verdicts,
      notes: [
        ...(gapSlope === null ? [] : [`Fitted log-log slope of the gap to Hinf against m: ${gapSlope.toFixed(3)} (theory: -0.5).`]),
        ...(initSlope === null ? [] : [`Fitted log-log slope of ||H(W0) - Hinf||_F / ||Hinf||_F against m: ${initSlope.toFixed(3)} (theory: -0.5).`]),
        ...runNotes(runs),
      ],
    };
  },
};
