import { judgeLess } from '../../report/verdict.js';
import type { RunRecord } from '../../results/types.js';
import type { ExperimentDefinition } from '../types.js';
import { curveSeries, figure, measuredCol, numbersTable, runVerdicts, runNotes } from './common.js';

const name = (r: RunRecord) => (r.params.lambda ? `with teacher (lambda=${r.params.lambda})` : 'without teacher');

/** E1: the same wide student trained with and without the teacher's PI (P1, P2, P6, P7). */
export const e1: ExperimentDefinition = {
  id: 'E1',
  title: 'with vs without teacher',
  question: 'Does training on the teacher\'s outputs (lambda > 0) change how fast the student fits, where it ends, and how well it generalizes, as the kernel-regime theory predicts?',
  plan: (p) => [
    { experiment: 'E1', label: 'without-teacher', knobs: { lambda: 0, width: p.width, embedding: 'raw', regularizer: 'quadratic' } },
    { experiment: 'E1', label: 'with-teacher', knobs: { lambda: p.lambda, width: p.width, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic' } },
  ],
  report(runs, ctx) {
    const without = runs.find((r) => r.label === 'without-teacher');
    const withT = runs.find((r) => r.label === 'with-teacher');
    const verdicts = runs.flatMap((r) => runVerdicts(r, ['P2', 'P4', 'P6', 'P7']));
    if (without && withT) {
      verdicts.push(judgeLess('P6 (teacher vs none)', 'with the teacher the student reaches eps in fewer iterations than without, at the same effective step eta (1+lambda)',
        { name: 'with teacher', value: withT.measured.iterationsToEps }, { name: 'without', value: without.measured.iterationsToEps }, 'steps'));
      verdicts.push(judgeLess('P7 (teacher vs none)', 'the teacher improves generalization: lower test loss with it than without',
        { name: 'with teacher', value: withT.measured.testLoss }, { name: 'without', value: without.measured.testLoss }));
    }
    const k = { label: 'iteration k', unit: 'GD steps' };
    return {
      id: 'E1', title: e1.title, question: e1.question,
      setup: `${ctx.setup}. Student width m = ${ctx.preset.width}, symmetric initialization (u(0) = 0), full-batch GD for ${ctx.preset.steps} steps at eta (1+lambda) = ${ctx.preset.stepScale} / mu_max; theory from the infinite-width Gram Hinf.`,
      table: numbersTable(runs, [['run', name], ['lambda', (r) => r.params.lambda]],
        [['labelErrorFinal', 'label error'], ['testLoss', 'test loss'], ['testAccuracy', 'test accuracy'], ['iterationsToEps', 'iterations to eps'], ['capacity', '||W - W(0)||']],
        [measuredCol('trajectoryGap', 'trajectory gap'), measuredCol('trajectoryGapInit', 'gap on H(W0)'), measuredCol('kernelDrift', 'kernel drift')]),
      figures: [
        figure('e1-train-loss', 'Training loss 1/2 ||u(k) - y||^2 with and without the teacher: measured (solid) over predicted (dashed).',
          { title: 'E1: training loss, with vs without teacher', x: k, y: { label: 'training loss', unit: '1/2 ||u - y||^2', log: true }, series: curveSeries(runs, 'k', 'labelLossMeasured', 'labelLossPredicted', name) }),
        figure('e1-residual', 'Distance to the interpolated target ||u(k) - ybar|| / ||ybar - u(0)||: its decay rate is what P6 counts.',
          { title: 'E1: distance to the target ybar', x: k, y: { label: 'relative residual', unit: '||u - ybar|| / ||ybar - u0||', log: true }, series: curveSeries(runs, 'k', 'residualMeasured', 'residualPredicted', name) }),
        figure('e1-test-loss', 'Test loss 1/(2 n*) ||f(X*) - y*||^2 along training: measured vs the kernel prediction (P7).',
          { title: 'E1: test loss', x: k, y: { label: 'test loss', unit: '1/(2n) ||f(X*) - y*||^2' }, series: curveSeries(runs, 'kTest', 'testLossMeasured', 'testLossPredicted', name) }),
      ],
      verdicts,
      notes: runNotes(runs),
    };
  },
};
