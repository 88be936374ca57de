import type { ExperimentDefinition } from '../types.js';
import { curveSeries, figure, measuredCol, numbersTable, predictedCol, runVerdicts, runNotes } from './common.js';

const EMBEDDINGS = [
  { label: 'raw', words: 'the PCA-reduced, unit-normalized inputs' },
  { label: 'rff', words: 'random Fourier features of a Gaussian kernel, unit-normalized' },
  { label: 'teacher-features', words: 'the teacher\'s hidden-layer features, unit-normalized' },
];

/** E4: kernel embeddings psi(x) as the student's input (SCIENCE.md section 5). */
export const e4: ExperimentDefinition = {
  id: 'E4',
  title: 'kernel embeddings',
  question: 'Feeding the student an embedding psi(x) instead of x changes the Gram matrix H, its spectrum and how the target aligns with it: does speed and test error change as the theory predicts?',
  plan: (p) => EMBEDDINGS.map((e) => ({
    experiment: 'E4' as const, label: `embedding=${e.label}`,
    knobs: { lambda: p.lambda, width: p.width, teacher: 'strong', embedding: e.label, regularizer: 'quadratic' },
  })),
  report(runs, ctx) {
    const k = { label: 'iteration k', unit: 'GD steps' };
    return {
      id: 'E4', title: e4.title, question: e4.question,
      setup: `${ctx.setup}. Embeddings: ${EMBEDDINGS.map((e) => `${e.label} = ${e.words}`).join('; ')} (random features: D = ${ctx.preset.rffDim}). Student width m = ${ctx.preset.width}, lambda = ${ctx.preset.lambda}, ${ctx.preset.steps} GD steps.`,
      table: numbersTable(runs, [['embedding', (r) => r.params.embedding], ['input dim', (r) => r.measured.inputDim ?? null]],
        [['testLoss', 'test loss'], ['testAccuracy', 'test accuracy'], ['iterationsToEps', 'iterations to eps'], ['capacity', '||W - W(0)||']],
        [predictedCol('muMax', 'mu_max'), predictedCol('topAlignment', 'target energy on top 10 eigenvectors'), measuredCol('trajectoryGap', 'trajectory gap')]),
      figures: [
        figure('e4-spectrum', 'Eigenvalues of the Gram matrix per embedding: empirical H(W(0)) of the trained width (solid) against the infinite-width Hinf (dashed).',
          { title: 'E4: NTK spectrum per embedding', x: { label: 'eigenvalue index i', unit: 'rank, descending' }, y: { label: 'eigenvalue mu_i', unit: 'Gram units', log: true }, series: curveSeries(runs, 'eigIndex', 'eigMeasured', 'eigPredicted', (r) => r.params.embedding ?? r.label) }),
        figure('e4-train-loss', 'Training loss per embedding: measured (solid) over predicted (dashed).',
          { title: 'E4: training loss per embedding', x: k, y: { label: 'training loss', unit: '1/2 ||u - y||^2', log: true }, series: curveSeries(runs, 'k', 'labelLossMeasured', 'labelLossPredicted', (r) => r.params.embedding ?? r.label) }),
        figure('e4-test-loss', 'Test loss per embedding along training (P7).',
          { title: 'E4: test loss per embedding', x: k, y: { label: 'test loss', unit: '1/(2n) ||f(X*) - y*||^2' }, series: curveSeries(runs, 'kTest', 'testLossMeasured', 'testLossPredicted', (r) => r.params.embedding ?? r.label) }),
      ],
      verdicts: runs.flatMap((r) => runVerdicts(r, ['P2', 'P6', 'P7'])),
      notes: runNotes(runs),
    };
  },
};
