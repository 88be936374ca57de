import { notApplicable } from '../../report/verdict.js';
import type { ExperimentDefinition, PlannedRun } from '../types.js';
import { curveSeries, figure, measuredCol, numbersTable, runVerdicts, runNotes } from './common.js';

/** E6: the regularizer family: quadratic PI (closed form), temperature KL (section 4 predictor), feature matching (no prediction). */
export const e6: ExperimentDefinition = {
  id: 'E6',
  title: 'regularizer family',
  question: 'Does the kernel-regime prediction hold beyond the quadratic PI term: for Hinton\'s temperature KL (through the numerical function-space predictor of section 4), and what happens with feature matching, which has no kernel prediction?',
  plan: (p): PlannedRun[] => [
    { experiment: 'E6', label: 'quadratic', knobs: { lambda: p.lambda, width: p.width, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic' } },
    { experiment: 'E6', label: `kl-T${p.temperature}`, knobs: { lambda: p.lambda, width: p.width, teacher: 'strong', embedding: 'raw', regularizer: `kl-T${p.temperature}`, pi: { id: 'hinton-kl', options: { weight: p.lambda, temperature: p.temperature } } } },
    { experiment: 'E6', label: 'feature-matching', knobs: { lambda: p.lambda, width: p.width, teacher: 'strong', embedding: 'raw', regularizer: 'feature-matching', pi: { id: 'feature-matching', options: { weight: p.lambda, projection: 'none' } }, steps: Math.max(1, Math.round(p.steps / 3)) } },
  ],
  report(runs, ctx) {
    const k = { label: 'iteration k', unit: 'GD steps' };
    const verdicts = runs.flatMap((r) => (r.params.regularizer === 'feature-matching'
      ? [notApplicable(`P2 [${r.label}]`, 'trajectory prediction', 'feature matching acts on hidden features, not on the outputs, so the output-space kernel predictor does not apply (trained for real and reported without a prediction)')]
      : runVerdicts(r, ['P2', 'P7'])));
    return {
      id: 'E6', title: e6.title, question: e6.question,
      setup: `${ctx.setup}. Student width m = ${ctx.preset.width}, weight lambda = ${ctx.preset.lambda} on each PI term (KL at temperature T = ${ctx.preset.temperature} with the T^2 factor), ${ctx.preset.steps} GD steps (feature matching: ${Math.max(1, Math.round(ctx.preset.steps / 3))}, as it trains through autodiff, several times slower than the hand-written backprop of the other runs).`,
      table: numbersTable(runs, [['regularizer', (r) => r.params.regularizer]], [['labelErrorFinal', 'label error'], ['testLoss', 'test loss'], ['testAccuracy', 'test accuracy']],
        [measuredCol('trajectoryGap', 'trajectory gap'), measuredCol('kernelDrift', 'kernel drift')]),
      figures: [
        figure('e6-train-loss', 'Training loss per regularizer: measured (solid) over predicted (dashed; none for feature matching).',
          { title: 'E6: training loss per regularizer', x: k, y: { label: 'training loss', unit: '1/2 ||u - y||^2', log: true }, series: curveSeries(runs, 'k', 'labelLossMeasured', 'labelLossPredicted', (r) => r.params.regularizer ?? r.label) }),
        figure('e6-test-loss', 'Test loss per regularizer along training.',
          { title: 'E6: test loss per regularizer', x: k, y: { label: 'test loss', unit: '1/(2n) ||f(X*) - y*||^2' }, series: curveSeries(runs, 'kTest', 'testLossMeasured', 'testLossPredicted', (r) => r.params.regularizer ?? r.label) }),
      ],
      verdicts,
      notes: runNotes(runs),
    };
  },
};
