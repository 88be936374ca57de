import type { RunRecord } from '../../results/types.js';
import type { ExperimentDefinition } from '../types.js';
import { curveSeries, figure, measuredCol, numbersTable, pointSeries, runVerdicts, runNotes } from './common.js';

const teacherAcc = (r: RunRecord) => (typeof r.measured.teacherTestAccuracy === 'number' ? r.measured.teacherTestAccuracy : null);

/** E3: teachers of different quality (test accuracy): the student's test loss and iterations. */
export const e3: ExperimentDefinition = {
  id: 'E3',
  title: 'teacher quality',
  question: 'How does the quality of the teacher (its test accuracy, set by how much data and training it got) carry over to the student\'s test loss and convergence speed, and does the theory track it?',
  plan: (p) => p.teacherQualities.map((q) => ({
    experiment: 'E3' as const, label: `teacher=${q.label}`,
    knobs: { lambda: p.lambda, width: p.width, teacher: q.label, embedding: 'raw', regularizer: 'quadratic' },
  })),
  report(runs, ctx) {
    const k = { label: 'iteration k', unit: 'GD steps' };
    const acc = { label: 'teacher test accuracy', unit: 'fraction correct' };
    const qualities = ctx.preset.teacherQualities.map((q) => `${q.label}: ${Math.round(q.trainFraction * 100)}% of the training set, ${q.steps} steps`).join('; ');
    return {
      id: 'E3', title: e3.title, question: e3.question,
      setup: `${ctx.setup}. Teachers (MLP, ${ctx.preset.teacher.hidden} hidden units): ${qualities}. Student width m = ${ctx.preset.width}, lambda = ${ctx.preset.lambda}, ${ctx.preset.steps} GD steps.`,
      table: numbersTable(runs, [['teacher', (r) => r.params.teacher], ['teacher test accuracy', teacherAcc]],
        [['testLoss', 'student test loss'], ['testAccuracy', 'student test accuracy'], ['iterationsToEps', 'iterations to eps'], ['piErrorFinal', '||u - z||']],
        [measuredCol('trajectoryGap', 'trajectory gap')]),
      figures: [
        figure('e3-test-loss', 'Student test loss against the teacher\'s test accuracy: measured vs predicted (P7).',
          { title: 'E3: student test loss vs teacher quality', x: acc, y: { label: 'student test loss', unit: '1/(2n) ||f(X*) - y*||^2' }, series: pointSeries(runs, teacherAcc, 'testLoss', 'test loss') }),
        figure('e3-iterations', 'Iterations to eps against the teacher\'s test accuracy (P6).',
          { title: 'E3: iterations to eps vs teacher quality', x: acc, y: { label: 'iterations to eps', unit: 'GD steps' }, series: pointSeries(runs, teacherAcc, 'iterationsToEps', 'iterations') }),
        figure('e3-residual', 'Distance to each run\'s target ybar along training, measured (solid) over predicted (dashed).',
          { title: 'E3: distance to the target ybar', x: k, y: { label: 'relative residual', unit: '||u - ybar|| / ||ybar - u0||', log: true }, series: curveSeries(runs, 'k', 'residualMeasured', 'residualPredicted') }),
      ],
      verdicts: runs.flatMap((r) => runVerdicts(r, ['P2', 'P6', 'P7'])),
      notes: runNotes(runs),
    };
  },
};
