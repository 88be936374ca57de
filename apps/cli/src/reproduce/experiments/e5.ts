import { judge, judgeLess } from '../../report/verdict.js';
import type { RunRecord } from '../../results/types.js';
import type { ExperimentDefinition } from '../types.js';
import { figure, measuredCol, numbersTable, runVerdicts, runNotes } from './common.js';

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

/** E5: the width sweep (P8): gap between measured and predicted, kernel drift, H(W(0)) vs Hinf. */
export const e5: ExperimentDefinition = {
  id: 'E5',
  title: 'width sweep',
  question: 'Is the theory about "extremely wide" students: do the gap between measured and predicted outputs, the kernel drift and the error of H(W(0)) against Hinf shrink as the width m grows (the last like 1/sqrt(m))?',
  plan: (p) => p.widths.map((width) => ({
    experiment: 'E5' as const, label: `m=${width}`,
    knobs: { lambda: p.lambda, width, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic' },
  })),
  report(runs, ctx) {
    const sorted = [...runs].sort((a, b) => (a.params.width ?? 0) - (b.params.width ?? 0));
    const ms = sorted.map((r) => r.params.width ?? NaN);
    const pick = (f: string) => sorted.map((r) => (typeof r.measured[f] === 'number' ? (r.measured[f] as number) : NaN));
    const initErr = pick('ntkInitError');
    const slope = logLogSlope(ms, initErr);
    const ref = (ys: number[]) => ms.map((m) => (Number.isFinite(ys[0]) ? ys[0] * Math.sqrt(ms[0] / m) : NaN));
    const mAxis = { label: 'width m', unit: 'neurons', log: true };
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    const verdicts = [...sorted.flatMap((r) => runVerdicts(r, ['P2']))];
    if (first && last && first !== last) {
      verdicts.push(judgeLess('P8 (gap)', 'the measured-vs-predicted trajectory gap shrinks as m grows', { name: `gap at m=${last.params.width}`, value: last.measured.trajectoryGap }, { name: `gap at m=${first.params.width}`, value: first.measured.trajectoryGap }));
      verdicts.push(judgeLess('P8 (drift)', 'the kernel drift ||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F shrinks as m grows', { name: `drift at m=${last.params.width}`, value: last.measured.kernelDrift }, { name: `drift at m=${first.params.width}`, value: first.measured.kernelDrift }));
      verdicts.push(judge({ prediction: 'P8 (slope)', claim: 'the relative error of H(W(0)) against Hinf falls like 1/sqrt(m): log-log slope -1/2', measured: slope, predicted: -0.5, tolerance: 0.2, gapKind: 'absolute' }));
    }
    const series = (ys: number[], label: string) => [
      { label: `${label} (measured)`, group: label, kind: 'measured' as const, x: ms, y: ys, markers: true },
      { label: '1/sqrt(m) slope (theory)', group: label, kind: 'predicted' as const, x: ms, y: ref(ys) },
    ];
    return {
      id: 'E5', title: e5.title, question: e5.question,
      setup: `${ctx.setup}. Widths m = ${ctx.preset.widths.join(', ')}, lambda = ${ctx.preset.lambda}, ${ctx.preset.steps} GD steps each.`,
      table: numbersTable(sorted, [['width m', widthOf]], [['labelErrorFinal', 'label error'], ['testLoss', 'test loss']],
        [measuredCol('trajectoryGap', 'trajectory gap'), measuredCol('trajectoryGapInit', 'gap on H(W0)'), measuredCol('kernelDrift', 'kernel drift'), measuredCol('ntkInitError', '||H(W0) - Hinf|| / ||Hinf||')]),
      figures: [
        figure('e5-gap', 'Largest gap between measured and predicted outputs, relative to max |ybar|, against width; dashed: a 1/sqrt(m) slope through the first point.',
          { title: 'E5: measured-vs-predicted gap vs width', x: mAxis, y: { label: 'trajectory gap', unit: 'max |u - u_pred| / max |ybar|', log: true }, series: series(pick('trajectoryGap'), 'gap') }),
        figure('e5-drift', 'Kernel drift over training against width.',
          { title: 'E5: kernel drift vs width', x: mAxis, y: { label: 'kernel drift', unit: '||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F', log: true }, series: series(pick('kernelDrift'), 'drift') }),
        figure('e5-init-error', 'Relative Frobenius error of the empirical Gram H(W(0)) against Hinf; the theory predicts slope -1/2.',
          { title: 'E5: H(W(0)) vs Hinf', x: mAxis, y: { label: 'relative error', unit: '||H(W0) - Hinf||_F / ||Hinf||_F', log: true }, series: series(initErr, 'Gram error') }),
      ],
      verdicts,
      notes: [...(slope === null ? [] : [`Fitted log-log slope of ||H(W0) - Hinf||_F / ||Hinf||_F against m: ${slope.toFixed(3)} (theory: -0.5).`]), ...runNotes(runs)],
    };
  },
};
