import { accuracy, combinePredictions, datasetFromArrays, distance, maxAbs } from '@pikt/core';
import type { ReporterV1 } from '@pikt/core';
import { eigvalsh, type EigenBasis } from '@pikt/linalg';
import { createPiPredictor, kernelDrift, structuredNtkAsync } from '@pikt/ntk';
import { DivergenceError, initialParams, train } from '@pikt/trainer';
import type { NamedTerm } from '@pikt/trainer';
import type { RunCurves, RunNumbers } from '../results/types.js';
import { firstBelow, r12, thin, trajectoryGap } from './measures.js';
import type { CliRegistries } from '../registries.js';
import { predictWithTerms } from './predict-generic.js';
import { twoLayerTask } from './assumption-variants.js';
import { evalStride, initialGram, predictOnInitialKernel, stabilityOnInitialKernel } from './finite-width.js';
import type { StudentRunSpec } from './run-spec.js';

/** One embedding of the task with its infinite-width Gram, shared by every run on it. */
export interface EmbeddedTask {
  n: number; d: number; x: Float64Array; y: Float64Array;
  nTest: number; xTest: Float64Array; yTest: Float64Array;
  /** Hinf(X, X) row-major, its eigenbasis, and Hinf(X*, X). */
  H: Float64Array; basis: EigenBasis; hTest: Float64Array;
}

export interface TeacherPi {
  z: Float64Array;
  features?: Float64Array;
  featureDim?: number;
}

export interface StudentOutcome {
  measured: RunNumbers;
  predicted: RunNumbers;
  curves: RunCurves;
  notes: string[];
}

const CURVE_POINTS = 120;

/** A quadratic objective sum_j w_j/2 ||u - t_j||^2 as the closed form's (scale a, lambda): a (1/2||u - y||^2 + lambda/2 ||u - z||^2). */
function quadraticForm(parts: ReadonlyArray<{ weight: number; target: 'targets' | 'teacherLogits' }>): { a: number; lambda: number } | undefined {
  const a = parts.filter((p) => p.target === 'targets').reduce((s, p) => s + p.weight, 0);
  const b = parts.filter((p) => p.target === 'teacherLogits').reduce((s, p) => s + p.weight, 0);
  return a > 0 ? { a, lambda: b / a } : undefined;
}

/**
 * Train the wide student on one task embedding with full-batch GD (recording u(k) at every step)
 * and compute the kernel-regime prediction for the same inputs, step and number of steps.
 * Returns undefined when aborted.
 */
export async function runStudent(base: EmbeddedTask, teacher: TeacherPi | null, spec: StudentRunSpec, registries: CliRegistries, opts: { signal: AbortSignal; reporters: ReporterV1[] }): Promise<StudentOutcome | undefined> {
  // E7: training both layers makes the two-layer NTK the theory's kernel.
  const trainLayers = spec.model.options.trainLayers === 'both' ? 'both' : 'first';
  const task = trainLayers === 'both' ? twoLayerTask(base, typeof spec.model.options.kappa === 'number' ? spec.model.options.kappa : 1) : base;
  const { n, d } = task;
  const z = teacher?.z ?? task.y;
  // Models and terms come from their registry configs, exactly as a plugin's would.
  const terms: NamedTerm[] = spec.terms.map((t) => ({ name: t.name, regularizer: registries.regularizers.get(t.id)(t.options) }));
  const model = registries.models.get(spec.model.id)(spec.model.options);
  const needs = new Set(terms.flatMap((t) => t.regularizer.needs));
  // The predictor follows from what the terms declare (SCIENCE.md sections 3-4).
  const prediction = combinePredictions(terms.map((t) => t.regularizer));
  const quadratic = prediction.kind === 'quadratic' ? quadraticForm(prediction.parts) : undefined;
  const { stepScale } = spec.optimizer;
  const lambda = quadratic?.lambda ?? spec.optimizer.lambda;
  const mu1 = task.basis.values[0];
  const eta = stepScale / ((1 + spec.optimizer.lambda) * mu1);
  const testEvery = evalStride(spec.steps);
  // Mini-batch SGD (E7) is compared with full-batch GD epoch by epoch: one epoch of batch steps on
  // the summed loss moves like one GD step, plus the noise the theory leaves out.
  const batchSize = spec.optimizer.kind === 'sgd' ? Math.max(1, Math.round(spec.optimizer.batchFraction * n)) : undefined;
  const perEpoch = batchSize === undefined ? 1 : Math.ceil(n / batchSize);
  const notes: string[] = [];
  if (batchSize !== undefined) notes.push(`Mini-batch SGD (batches of ${batchSize} of ${n} samples, ${perEpoch} updates per epoch) is outside the full-batch theory: compared epoch by epoch with the GD prediction at the same eta.`);
  if (trainLayers === 'both') notes.push('Both layers trained: predicted with the two-layer NTK (SCIENCE.md section 3).');
  // Kernel warnings (e.g. inputs not unit-norm in E7) become the run's notes, once each, not stderr noise.
  const noteOnce = (w: { code: string; message: string }) => { const t = `${w.code}: ${w.message.replace(/ \(second set\)/, '')}`; if (!notes.includes(t)) notes.push(t); };
  const ybar = Float64Array.from(task.y, (v, i) => (v + lambda * z[i]) / (1 + lambda));
  // The closed form of a (1/2 ||u - y||^2 + lambda/2 ||u - z||^2) is lambda's at step a eta.
  const etaQ = (quadratic?.a ?? 1) * eta;
  const predictor = createPiPredictor({ basis: task.basis, y: task.y, z, lambda, eta: etaQ, test: { gram: task.hTest, y: task.yTest }, onWarning: () => undefined });
  const predicted: RunNumbers = { stabilityBound: r12(predictor.stability.etaMax), muMax: r12(mu1), diverged: predictor.stability.stable ? 0 : 1 };
  let result;
  try {
    result = await train({
      // Losses read every 25 steps (one await data() for 25, not one per step; an abort stops at the next read).
      model, terms, signal: opts.signal, reporters: opts.reporters, readEvery: 25,
      data: datasetFromArrays({
        id: 'task', inputDim: d, outputDim: 1,
        train: { x: task.x, targets: task.y, ...(teacher ? { teacherLogits: teacher.z } : {}), ...(needs.has('teacherFeatures') && teacher?.features ? { teacherFeatures: teacher.features, teacherFeatureDim: teacher.featureDim } : {}) },
        test: { x: task.xTest, targets: task.yTest },
      }),
      settings: {
        seed: spec.seed, optimizer: { kind: batchSize === undefined ? 'gd' : 'sgd', lr: eta }, steps: spec.steps * perEpoch, evalEvery: testEvery * perEpoch,
        ...(batchSize === undefined ? {} : { batchSize }),
        recordOutputsAt: Array.from({ length: spec.steps + 1 }, (_, k) => k * perEpoch),
        stability: { muMax: mu1, lambda: spec.optimizer.lambda, allowUnstable: stepScale >= 2 },
      },
    });
  } catch (err) {
    if (!(err instanceof DivergenceError)) throw err;
    notes.push(`Run stopped by divergence detection at step ${err.step} (eta = ${eta.toPrecision(4)}, bound ${predictor.stability.etaMax.toPrecision(4)}).`);
    Object.assign(predicted, stabilityOnInitialKernel(await initialGram(model, spec.seed, task, trainLayers), eta, spec.optimizer.lambda));
    return { measured: { diverged: 1, divergedAtStep: err.step, learningRate: r12(eta), effectiveStep: stepScale }, predicted, curves: {}, notes };
  }
  if (result.status === 'aborted') { model.dispose?.(result.params); return undefined; }
  const K = result.steps / perEpoch;
  const uMeas = result.evals.filter((e) => e.split === 'train' && e.outputs).sort((a, b) => a.step - b.step).map((e) => Float64Array.from(e.outputs as number[]));
  const testEvals = result.evals.filter((e) => e.split === 'test').sort((a, b) => a.step - b.step).map((e) => ({ ...e, step: e.step / perEpoch }));

  // Measured kernel: H(W(0)) and H(W(K)) from the actual first layers.
  const w0 = initialParams(model, spec.seed, { inputDim: d, outputDim: 1 });
  // await data() throughout: GPU backends (node-gpu) have no fast synchronous read.
  const W0 = Float64Array.from(await w0.W.data());
  model.dispose?.(w0);
  const WK = Float64Array.from(await result.params.W.data());
  model.dispose?.(result.params);
  const h0 = (await structuredNtkAsync(task.x, null, W0, { inputDim: d, trainLayers, onWarning: noteOnce })).data;
  const hK = (await structuredNtkAsync(task.x, null, WK, { inputDim: d, trainLayers, onWarning: noteOnce })).data;

  const tNorm = distance(ybar, new Float64Array(n));
  const resMeas = uMeas.map((u) => distance(u, ybar) / tNorm);
  const measured: RunNumbers = {
    labelErrorFinal: r12(distance(uMeas[K], task.y)),
    testLoss: r12((testEvals[testEvals.length - 1]?.metrics.labelError ?? NaN) ** 2 / (2 * task.nTest)),
    testAccuracy: r12(testEvals[testEvals.length - 1]?.metrics.accuracy ?? NaN),
    iterationsToEps: firstBelow(resMeas, spec.eps),
    capacity: r12(result.history[result.steps - 1]?.weightDistance ?? NaN),
    kernelDrift: r12(kernelDrift(h0, hK)),
    // Top eigenvalue of H(W(K)): above the bound a finite network can lower it and converge (catapult).
    muMaxFinal: r12(eigvalsh(hK)[0]),
    ntkInitError: r12(kernelDrift(task.H, h0)),
    learningRate: r12(eta),
    effectiveStep: stepScale,
    inputDim: d,
    diverged: 0,
    // The problem's scales, against which near-zero predictions are judged (trajectory, label error).
    targetScale: r12(maxAbs(ybar)),
    labelNorm: r12(distance(task.y, new Float64Array(n))),
    trainSamples: n,
  };
  if (teacher) measured.piErrorFinal = r12(distance(uMeas[K], teacher.z));
  if (testEvals[testEvals.length - 1]?.step !== K) notes.push(`Test loss measured at step ${testEvals[testEvals.length - 1]?.step}, not ${K}.`);

  const ks = thin(K, CURVE_POINTS);
  const kTest = testEvals.map((e) => e.step);
  const curves: RunCurves = {
    k: ks,
    labelLossMeasured: ks.map((k) => r12(0.5 * distance(uMeas[k], task.y) ** 2)),
    residualMeasured: ks.map((k) => r12(resMeas[k])),
    kTest,
    testLossMeasured: testEvals.map((e) => r12(e.metrics.labelError ** 2 / (2 * task.nTest))),
  };
  if (spec.spectrum) {
    const top = Math.min(30, n);
    curves.eigIndex = Array.from({ length: top }, (_, i) => i + 1);
    curves.eigMeasured = Array.from(eigvalsh(h0).subarray(0, top), r12);
    curves.eigPredicted = Array.from(task.basis.values.subarray(0, top), r12);
  }

  if (prediction.kind === 'none') {
    notes.push(`No kernel prediction: ${prediction.reason}; trained for real, reported without predicted numbers.`);
    return { measured, predicted, curves, notes };
  }
  let uPred: Float64Array[];
  let fPredAt: (k: number) => Float64Array;
  if (!quadratic) {
    const gen = await predictWithTerms({ H: task.H, n, hTest: task.hTest, eta, steps: K, terms, targets: task.y, teacherLogits: z });
    uPred = gen.trajectory;
    fPredAt = (k) => gen.test[k];
    const h0Test = (await structuredNtkAsync(task.xTest, task.x, W0, { inputDim: d, trainLayers, onWarning: noteOnce })).data;
    const atInit = await predictWithTerms({ H: h0, n, hTest: h0Test, eta, steps: K, terms, targets: task.y, teacherLogits: z });
    measured.trajectoryGapInit = r12(trajectoryGap(uMeas, atInit.trajectory, maxAbs(ybar)));
    predicted.testLossInit = r12(distance(atInit.test[K], task.yTest) ** 2 / (2 * task.nTest));
    predicted.labelErrorFinalInit = r12(distance(atInit.trajectory[K], task.y));
    notes.push(`Terms ${spec.terms.map((t) => t.id).join(' + ')} have no closed form: predicted by integrating u(k+1) = u(k) - eta H grad_u L(u(k)) (SCIENCE.md section 4); no closed-form iterations to eps or capacity.`);
  } else {
    uPred = Array.from({ length: K + 1 }, (_, k) => predictor.trajectory(k));
    fPredAt = (k) => predictor.testPredictions(k);
    const it = predictor.iterationsToEps(spec.eps);
    predicted.iterationsToEps = it.withTeacher;
    predicted.capacity = r12(predictor.weightDistance(K));
    predicted.capacityInf = r12(predictor.capacity().value);
    predicted.labelErrorInf = r12(predictor.labelError().predicted);
    predicted.complexity = r12(predictor.complexityTerm().value);
    const al = predictor.alignment().teacherTarget;
    const total = al.reduce((a, b) => a + b, 0);
    predicted.topAlignment = r12(al.subarray(0, 10).reduce((a, b) => a + b, 0) / total);
    // The same prediction on this run's own H(W(0)) instead of Hinf: its gap leaves out the
    // finite-width error at initialization and measures kernel drift alone (SCIENCE.md P8).
    const h0Test = (await structuredNtkAsync(task.xTest, task.x, W0, { inputDim: d, trainLayers, onWarning: noteOnce })).data;
    const init = predictOnInitialKernel({ h0, h0Test, y: task.y, yTest: task.yTest, z, lambda, eta: etaQ, steps: K, uMeasured: uMeas, eps: spec.eps });
    Object.assign(predicted, init.predicted, stabilityOnInitialKernel(h0, etaQ, lambda, init.predicted.muMaxInit));
    measured.trajectoryGapInit = init.trajectoryGapInit;
  }
  const fK = fPredAt(K);
  predicted.labelErrorFinal = r12(distance(uPred[K], task.y));
  if (teacher) predicted.piErrorFinal = r12(distance(uPred[K], teacher.z));
  predicted.testLoss = r12(distance(fK, task.yTest) ** 2 / (2 * task.nTest));
  predicted.testAccuracy = r12(accuracy(fK, task.yTest, 1) ?? Number.NaN); // the trainer's rule (measured.testAccuracy)
  if (!quadratic) predicted.iterationsToEps = firstBelow(uPred.map((u) => distance(u, ybar) / tNorm), spec.eps);
  measured.trajectoryGap = r12(trajectoryGap(uMeas, uPred, maxAbs(ybar)));
  curves.labelLossPredicted = ks.map((k) => r12(0.5 * distance(uPred[k], task.y) ** 2));
  curves.residualPredicted = ks.map((k) => r12(distance(uPred[k], ybar) / tNorm));
  curves.testLossPredicted = kTest.map((k) => r12(distance(fPredAt(k), task.yTest) ** 2 / (2 * task.nTest)));
  return { measured, predicted, curves, notes };
}
