import { formatNumber } from '../../report/format.js';
import { explain, judgeLess } from '../../report/verdict.js';
import type { RunRecord } from '../../results/types.js';
import type { ExperimentDefinition } from '../types.js';
import { bandCurveSeries, figure, groupBySeed, meanSd, measuredCol, numbersTable, predictedCol, runVerdicts, runNotes, withSeeds } from './common.js';

// Short enough for the figure legends (30 characters with " (theory)").
const name = (r: RunRecord) => (r.params.lambda ? `teacher (lambda=${r.params.lambda})` : 'no teacher');

/** E1: the same wide student trained with and without the teacher's PI (P1, P2, P6, P7). */
export const e1: ExperimentDefinition = {
  id: 'E1',
  title: 'with vs without teacher',
  question: 'Does training on the teacher\'s outputs (lambda > 0) change how fast the student fits, where it ends, and how well it generalizes, as the kernel-regime theory predicts?',
  plan: (p) => [
    ...withSeeds(p, { experiment: 'E1', label: 'without-teacher', knobs: { lambda: 0, width: p.width, embedding: 'raw', regularizer: 'quadratic' } }),
    ...withSeeds(p, { experiment: 'E1', label: 'with-teacher', knobs: { lambda: p.lambda, width: p.width, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic' } }),
  ],
  report(runs, ctx) {
    const groups = groupBySeed(runs);
    const without = groups.find((g) => g.label === 'without-teacher')?.runs ?? [];
    const withT = groups.find((g) => g.label === 'with-teacher')?.runs ?? [];
    const verdicts = groups.flatMap((g) => runVerdicts(g.runs, ['P2', 'P4', 'P6', 'P7'], g.label));
    // A seed that never reached eps counts as never (null) for the mean.
    const meanOf = (rs: RunRecord[], f: (r: RunRecord) => number | null | undefined) => (rs.some((r) => f(r) === null) ? null : meanSd(rs.map(f))?.mean);
    if (without.length > 0 && withT.length > 0) {
      const seeds = withT.length > 1 ? ` (means over ${withT.length} seeds)` : '';
      // When the comparison fails, say whether the theory at this width predicted the same ordering.
      const theory = (f: (r: RunRecord) => number | null | undefined, what: string) => {
        const w = meanOf(withT, f);
        const o = meanOf(without, f);
        return w !== null && o !== null && w !== undefined && o !== undefined && w >= o
          ? `the kernel theory on H(W(0)) predicts the same here (${what} ${formatNumber(w)} with the teacher vs ${formatNumber(o)} without): for this teacher the claim does not apply, the theory is not contradicted`
          : undefined;
      };
      verdicts.push(explain(judgeLess(`P6 (teacher vs none)${seeds}`, 'with the teacher the student reaches eps in fewer iterations than without, at the same effective step eta (1+lambda)',
        { name: 'with teacher', value: meanOf(withT, (r) => r.measured.iterationsToEps) }, { name: 'without', value: meanOf(without, (r) => r.measured.iterationsToEps) }, 'steps'),
      theory((r) => r.predicted.iterationsToEpsInit, 'iterations')));
      verdicts.push(explain(judgeLess(`P7 (teacher vs none)${seeds}`, 'the teacher improves generalization: lower test loss at the final step with it than without',
        { name: 'with teacher', value: meanOf(withT, (r) => r.measured.testLoss) }, { name: 'without', value: meanOf(without, (r) => r.measured.testLoss) }),
      theory((r) => r.predicted.testLossInit, 'test loss')));
    }
    const k = { label: 'iteration k', unit: 'GD steps' };
    return {
      id: 'E1', title: e1.title, question: e1.question,
      setup: `${ctx.setup}. Student width m = ${ctx.preset.width}, symmetric initialization (u(0) = 0), full-batch GD for ${ctx.preset.steps} steps at eta (1+lambda) = ${ctx.preset.stepScale} / mu_max, ${groups[0]?.runs.length ?? 1} student seed(s) per run; verdicts against the prediction on each run's own H(W(0)), the infinite-width Hinf prediction beside it (curves: Hinf).`,
      table: numbersTable(runs, [['run', (r) => r.label], ['lambda', (r) => r.params.lambda]],
        [['labelErrorFinal', 'label error'], ['testLoss', 'test loss'], ['testAccuracy', 'test accuracy'], ['iterationsToEps', 'iterations to eps'], ['capacity', '||W - W(0)||']],
        [predictedCol('labelErrorFinalInit', 'label error on H(W0) (theory)'), predictedCol('iterationsToEpsInit', 'iterations on H(W0) (theory)'), predictedCol('testLossInit', 'test loss on H(W0) (theory)'), measuredCol('trajectoryGap', 'gap to Hinf'), measuredCol('trajectoryGapInit', 'gap to H(W0)'), measuredCol('kernelDrift', 'kernel drift')]),
      figures: [
        figure('e1-train-loss', 'Training loss 1/2 ||u(k) - y||^2 with and without the teacher: measured (solid, mean over the seeds with a +- sd band) over the Hinf prediction (dashed).',
          { title: 'E1: training loss, with vs without teacher', x: k, y: { label: 'training loss', unit: '1/2 ||u - y||^2', log: true }, series: bandCurveSeries(groups, 'k', 'labelLossMeasured', 'labelLossPredicted', name) }),
        figure('e1-residual', 'Distance to the interpolated target ||u(k) - ybar|| / ||ybar - u(0)||: its decay rate is what P6 counts.',
          { title: 'E1: distance to the target ybar', x: k, y: { label: 'relative residual', unit: '||u - ybar|| / ||ybar - u0||', log: true }, series: bandCurveSeries(groups, 'k', 'residualMeasured', 'residualPredicted', name) }),
        figure('e1-test-loss', 'Test loss 1/(2 n*) ||f(X*) - y*||^2 along training: measured vs the kernel prediction (P7).',
          { title: 'E1: test loss', x: k, y: { label: 'test loss', unit: '1/(2n) ||f(X*) - y*||^2' }, series: bandCurveSeries(groups, 'kTest', 'testLossMeasured', 'testLossPredicted', name) }),
      ],
      verdicts,
      notes: runNotes(runs),
    };
  },
};
