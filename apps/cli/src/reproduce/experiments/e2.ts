import { judge } from '../../report/verdict.js';
import type { RunRecord } from '../../results/types.js';
import type { ExperimentDefinition } from '../types.js';
import { alphaOf, figure, measuredCol, numbersTable, pointSeries, predictedCol, runVerdicts, runNotes } from './common.js';

const stable = (r: RunRecord) => !r.label.includes('above-bound');

/** E2: the lambda sweep: label error (P4), capacity (P5), iterations (P6) and the stability bound (P3). */
export const e2: ExperimentDefinition = {
  id: 'E2',
  title: 'lambda sweep',
  question: 'As the weight lambda of the teacher grows (alpha = lambda / (1 + lambda)), does the label error grow like alpha ||z - y||, the distance travelled follow the capacity formula, the iteration count follow P6, and does GD diverge just above the stability bound?',
  plan: (p) => [
    ...p.lambdas.map((lambda) => ({ experiment: 'E2' as const, label: `lambda=${lambda}`, knobs: { lambda, width: p.width, teacher: lambda > 0 ? 'strong' : null, embedding: 'raw', regularizer: 'quadratic' } })),
    { experiment: 'E2', label: `lambda=${p.lambda}-above-bound`, knobs: { lambda: p.lambda, width: p.width, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic', stepScale: 2.2, steps: Math.min(p.steps, 200) } },
  ],
  report(runs, ctx) {
    const sweep = runs.filter(stable);
    const unstable = runs.filter((r) => !stable(r));
    const limit = sweep.map((r) => ({ x: r.params.alpha ?? 0, y: r.predicted.labelErrorInf ?? NaN }));
    const capLimit = sweep.map((r) => ({ x: r.params.alpha ?? 0, y: r.predicted.capacityInf ?? NaN }));
    const a = { label: 'alpha', unit: 'lambda / (1 + lambda)' };
    const verdicts = [
      ...sweep.flatMap((r) => runVerdicts(r, ['P4', 'P5', 'P6'])),
      ...unstable.map((r) => judge({ prediction: `P3 [${r.label}]`, claim: `GD diverges when eta (1+lambda) mu_max > 2 (here ${r.measured.effectiveStep ?? '?'} x mu_max); 1 = diverged`, measured: r.measured.diverged, predicted: r.predicted.diverged, tolerance: 0, gapKind: 'absolute' })),
    ];
    return {
      id: 'E2', title: e2.title, question: e2.question,
      setup: `${ctx.setup}. Student width m = ${ctx.preset.width}, ${ctx.preset.steps} GD steps at eta (1+lambda) = ${ctx.preset.stepScale} / mu_max; the last run uses 2.2 / mu_max, above the bound 2 / mu_max.`,
      table: numbersTable(runs, [['run', (r) => r.label], ['alpha', alphaOf]],
        [['labelErrorFinal', 'label error'], ['capacity', '||W - W(0)||'], ['iterationsToEps', 'iterations to eps'], ['diverged', 'diverged']],
        [predictedCol('labelErrorInf', 'alpha ||z - y||'), predictedCol('capacityInf', 'converged capacity'), measuredCol('learningRate', 'eta used'), predictedCol('stabilityBound', 'bound on eta')]),
      figures: [
        figure('e2-label-error', 'Label error ||u - y|| after training against alpha: measured, predicted at the same step, and the limit alpha ||z - y|| (P4).',
          { title: 'E2: label error vs alpha', x: a, y: { label: 'label error', unit: '||u - y||' }, series: [...pointSeries(sweep, alphaOf, 'labelErrorFinal', 'label error'), { label: 'alpha ||z - y|| (limit)', kind: 'predicted', group: 'limit', x: limit.map((p) => p.x), y: limit.map((p) => p.y) }] }),
        figure('e2-capacity', 'Distance travelled ||W - W(0)||_F against alpha (P5): measured, predicted, and the converged capacity sqrt(t^T H^-1 t).',
          { title: 'E2: capacity vs alpha', x: a, y: { label: 'distance travelled', unit: '||W - W(0)||_F' }, series: [...pointSeries(sweep, alphaOf, 'capacity', 'capacity'), { label: 'converged capacity', kind: 'predicted', group: 'cap-limit', x: capLimit.map((p) => p.x), y: capLimit.map((p) => p.y) }] }),
        figure('e2-iterations', 'Iterations to eps against alpha (P6), at the same effective step eta (1 + lambda).',
          { title: 'E2: iterations to eps vs alpha', x: a, y: { label: 'iterations to eps', unit: 'GD steps' }, series: pointSeries(sweep, alphaOf, 'iterationsToEps', 'iterations') }),
      ],
      verdicts,
      notes: runNotes(runs),
    };
  },
};
