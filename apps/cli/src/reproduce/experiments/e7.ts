import { formatNumber } from '../../report/format.js';
import type { Verdict } from '../../report/types.js';
import { explain, judgeGrowing } from '../../report/verdict.js';
import type { RunRecord } from '../../results/types.js';
import type { Preset } from '../presets.js';
import type { StudentKnobs } from '../run-spec.js';
import type { ExperimentDefinition, PlannedRun } from '../types.js';
import { curveSeries, figure, measuredCol, numbersTable, predictedCol, runNotes, runVerdicts, TOLERANCE } from './common.js';
import { stabilityExplanation, stabilityVerdict } from './run-verdicts.js';

/** E7's step sizes eta (1 + lambda) mu_max (the bound is 2); 1 is the reference run of E1-E6, 2.2 is E2's above-bound run. */
export const E7_STEPS = [0.5, 1.5, 1.95] as const;
export const E7_BATCHES = [0.5, 0.1] as const;

/** What the theory itself says when a gap does not grow with a violation (shown only on trends that do not hold). */
const TREND_EXPLANATION: Record<string, string> = {
  width: 'finite-width theory: the gap is a random O(1/sqrt(m)) quantity, so neighbouring widths can swap order for one draw of neurons',
  step: 'finite-width theory: the discrete dynamics on H(W(0)) are exact for any step below the bound; only the drift, which depends on the path, not on the step, is left',
  sgd: 'SGD compared epoch by epoch: the per-epoch update equals the full-batch one up to O(eta^2) terms, so a larger batch need not give a smaller gap',
  layers: 'the two-layer NTK (SCIENCE.md section 3) is the kernel theory for training both layers: the linearization still holds there, so the gap need not grow',
  norms: 'Hinf with the inputs\' own norms is still the exact infinite-width kernel; unit norm matters for the theory\'s bounds, not for the linearization, so the gap need not grow',
};

type Axis = 'width' | 'step' | 'sgd' | 'layers' | 'norms' | 'reference';

/** Which assumption a run of E7 breaks, in words, read from its label. */
function assumptionOf(label: string): { axis: Axis; words: string } {
  if (label.startsWith('m=')) return { axis: 'width', words: `a narrow student (${label}), far from the extremely wide regime the linearization needs` };
  if (label.startsWith('step=')) return { axis: 'step', words: `a step ${label.slice(5)} x 1/mu_max, close to (or above) the stability bound 2, where the slowest-decaying mode oscillates and any kernel change is amplified` };
  if (label.startsWith('sgd-batch=')) return { axis: 'sgd', words: `mini-batch SGD on ${label.slice(10)} of the training set per step, whose gradient noise the full-batch theory leaves out` };
  if (label === 'both-layers') return { axis: 'layers', words: 'both layers trained (against the two-layer NTK): the second layer moves too, so more of the network leaves its initial linearization' };
  if (label === 'uneven-norms') return { axis: 'norms', words: 'inputs not unit-norm (norms spread over [0.5, 2]): the kernel analysis assumes ||x_i|| = 1' };
  return { axis: 'reference', words: 'the reference run (all assumptions met)' };
}

const gapOf = (r: RunRecord | undefined) => (typeof r?.measured.trajectoryGapInit === 'number' ? r.measured.trajectoryGapInit : null);

/** E7: where the theory breaks, one assumption at a time, measured against the prediction on H(W(0)). */
export const e7: ExperimentDefinition = {
  id: 'E7',
  title: 'where the theory breaks',
  question: 'How far outside its assumptions does the kernel-regime prediction still hold? Narrow widths, steps up to and above the stability bound, mini-batch SGD, both layers trained, inputs that are not unit-norm: does the gap to the prediction grow as each assumption is violated, and where does the theory stop predicting?',
  plan: (p: Preset): PlannedRun[] => {
    const base = { lambda: p.lambda, teacher: 'strong', embedding: 'raw', regularizer: 'quadratic' };
    const run = (label: string, width: number, knobs: Partial<StudentKnobs>): PlannedRun => ({ experiment: 'E7', label, knobs: { ...base, width, ...knobs } });
    return [
      run('reference', p.width, {}),
      ...p.narrowWidths.map((m) => run(`m=${m}`, m, {})),
      ...E7_STEPS.map((s) => run(`step=${s}`, p.width, { stepScale: s })),
      // The same spec as E2's above-bound run, so it is computed once.
      run('step=2.2', p.width, { stepScale: 2.2, steps: Math.min(p.steps, 200) }),
      ...E7_BATCHES.map((b) => run(`sgd-batch=${Math.round(b * 100)}%`, p.width, { batchFraction: b })),
      run('both-layers', p.width, { trainLayers: 'both' }),
      run('uneven-norms', p.width, { embedding: 'uneven-norms' }),
    ];
  },
  report(runs, ctx) {
    const by = (label: string) => runs.find((r) => r.label === label);
    const verdicts: Verdict[] = [];
    const held: string[] = [];
    const broke: string[] = [];
    for (const r of runs) {
      const a = assumptionOf(r.label);
      if (r.label === 'step=2.2' || r.measured.diverged === 1) {
        const v3 = stabilityVerdict(r);
        verdicts.push(v3.holds === false ? { ...v3, explanation: `E7: ${a.words}; ${v3.explanation ?? 'the linear theory\'s bound did not decide the outcome'}` } : v3);
        (v3.holds ? held : broke).push(`${r.label} (${r.measured.diverged === 1 ? `diverged${typeof r.measured.divergedAtStep === 'number' ? ` at step ${r.measured.divergedAtStep}` : ''}` : 'converged'}; the theory says it ${v3.predicted === 1 ? 'diverges' : 'converges'})`);
        continue;
      }
      const [v] = runVerdicts(r, ['P2']);
      const s = stabilityExplanation(r);
      const e = v.holds === false ? { ...v, explanation: `E7: ${a.words}${s ? `; ${s}` : ''}` } : v;
      verdicts.push(e);
      if (v.holds !== null) (v.holds ? held : broke).push(`${r.label} (gap ${formatNumber(gapOf(r))} of max |ybar|)`);
    }
    const pt = (label: string, name = label) => ({ name, value: gapOf(by(label)) });
    const trend = (id: string, what: string, pts: Array<{ name: string; value: number | null }>) => verdicts.push(explain(judgeGrowing(`E7 (${id})`, `the gap to the H(W(0)) prediction grows as ${what}`, pts), TREND_EXPLANATION[id]));
    const refName = `reference (m=${ctx.preset.width})`;
    trend('width', 'the width shrinks', [pt('reference', refName), ...[...ctx.preset.narrowWidths].sort((a, b) => b - a).map((m) => pt(`m=${m}`))]);
    trend('step', 'the step approaches the bound', [pt('step=0.5'), pt('reference', 'step=1'), pt('step=1.5'), pt('step=1.95')]);
    trend('sgd', 'the batch shrinks', [pt('reference', 'full batch'), ...E7_BATCHES.map((b) => pt(`sgd-batch=${Math.round(b * 100)}%`))]);
    trend('layers', 'the second layer trains too', [pt('reference', 'first layer only'), pt('both-layers')]);
    trend('norms', 'the input norms spread', [pt('reference', 'unit norms'), pt('uneven-norms')]);
    const widthRuns = runs.filter((r) => r.label === 'reference' || r.label.startsWith('m=')).sort((a, b) => (a.params.width ?? 0) - (b.params.width ?? 0));
    const where = `Where the theory stops predicting (gap to the prediction on H(W(0)) above ${formatNumber(TOLERANCE.trajectoryGap * 100)}% of max |ybar|, or a divergence it did not predict): ${broke.length > 0 ? broke.join('; ') : 'nowhere in this sweep'}. It still predicts: ${held.length > 0 ? held.join('; ') : 'none'}.`;
    return {
      id: 'E7', title: e7.title, question: e7.question,
      setup: `${ctx.setup}. Reference: m = ${ctx.preset.width}, lambda = ${ctx.preset.lambda}, full-batch GD, ${ctx.preset.steps} steps at eta (1+lambda) mu_max = ${ctx.preset.stepScale} (the bound is 2), first layer only, unit-norm inputs. Each other run breaks one assumption: widths m = ${ctx.preset.narrowWidths.join(', ')}; steps eta (1+lambda) mu_max = ${E7_STEPS.join(', ')} and 2.2 (above the bound); mini-batch SGD with batches of ${E7_BATCHES.map((b) => `${b * 100}%`).join(' and ')} of the training set, compared epoch by epoch with the full-batch prediction; both layers trained, against the two-layer NTK; input norms spread over [0.5, 2]. Every gap is to the prediction on the run's own H(W(0)) (the Hinf gap beside it).`,
      table: numbersTable(runs, [['run', (r) => r.label], ['width m', (r) => r.params.width]], [['labelErrorFinal', 'label error'], ['testLoss', 'test loss']],
        [predictedCol('labelErrorFinalInit', 'label error on H(W0) (theory)'), measuredCol('trajectoryGapInit', 'gap to H(W0)'), measuredCol('trajectoryGap', 'gap to Hinf'), measuredCol('kernelDrift', 'kernel drift'), measuredCol('diverged', 'diverged')]),
      figures: [
        figure('e7-width', 'Measured gap to the prediction on H(W(0)) and to the Hinf prediction against the width, down to narrow students.',
          { title: 'E7: gap vs width', x: { label: 'width m', unit: 'neurons', log: true }, y: { label: 'trajectory gap', unit: 'max |u - u_pred| / max |ybar|', log: true }, series: [
            { label: 'gap to H(W0)', group: 'h0', kind: 'measured', x: widthRuns.map((r) => r.params.width ?? NaN), y: widthRuns.map((r) => gapOf(r) ?? NaN), markers: true },
            { label: 'gap to Hinf', group: 'hinf', kind: 'measured', x: widthRuns.map((r) => r.params.width ?? NaN), y: widthRuns.map((r) => (typeof r.measured.trajectoryGap === 'number' ? r.measured.trajectoryGap : NaN)), markers: true },
          ] }),
        figure('e7-residual', 'Distance to the target ybar per run: measured (solid) over the Hinf prediction (dashed).',
          { title: 'E7: distance to the target ybar', x: { label: 'iteration k (SGD: epoch)', unit: 'GD steps' }, y: { label: 'relative residual', unit: '||u - ybar|| / ||ybar - u0||', log: true }, series: curveSeries(runs, 'k', 'residualMeasured', 'residualPredicted') }),
      ],
      verdicts,
      notes: [where, ...runNotes(runs)],
    };
  },
};
