// Teacher -> distillation with a custom PI term -> the kernel-regime prediction over the measurement.
//
// 1. Train a teacher MLP on its own pool of a synthetic teacher-student task.
// 2. Distil it into the wide two-layer student (symmetric init, first layer trained, full-batch GD) on
//    L(u) = 1/2 ||u - y||^2 + w delta^2 sum_i (sqrt(1 + ((u_i - z_i) / delta)^2) - 1),
//    the second term a custom regularizer (pseudo-Huber distance to the teacher's logits z).
// 3. Predict the run in function space (SCIENCE.md section 4): u(k+1) = u(k) - eta Hinf grad_u L(u(k)),
//    with grad_u L taken from the very term object that trained the student, and compare.
// The pseudo-Huber term's curvature is at most w, so GD is stable for eta < 2 / ((1 + w) mu_max).
import * as tf from '@tensorflow/tfjs-core';
import { createWasmBackend } from '@pikt/backend-wasm';
import { datasetFromArrays, defineRegularizer } from '@pikt/core';
import { selectRows, teacherStudent } from '@pikt/datasets';
import { createMlpTeacher, createWideStudent } from '@pikt/models';
import { hinf, predictGeneric, regularizerLoss, squaredLoss, stabilityBound, sumLosses } from '@pikt/ntk';
import { labelFit } from '@pikt/regularizers';
import { train } from '@pikt/trainer';
import { check, relativeGap } from './check.js';

const pseudoHuberToTeacher = defineRegularizer({
  id: 'pseudo-huber-pi',
  needs: ['teacherLogits'],
  defaults: { delta: 1, weight: 1 },
  validate: (o) => (o.delta > 0 ? undefined : 'delta must be > 0'),
  compute: ({ studentLogits, teacherLogits }, o) => tf.tidy(() => {
    const r = tf.div(tf.sub(studentLogits, teacherLogits), o.delta);
    return tf.mul(o.weight * o.delta ** 2, tf.sum(tf.sub(tf.sqrt(tf.add(1, tf.square(r))), 1)));
  }),
});

await createWasmBackend().activate();
const d = 8;
const n = 40;
const task = teacherStudent({ d, n: 300, nTest: 200, seed: 1 });
const student = selectRows(task.train, Array.from({ length: n }, (_, i) => i));
const pool = selectRows(task.train, Array.from({ length: 300 - n }, (_, i) => n + i));

// 1. The teacher.
const teacher = createMlpTeacher({ width: 32, depth: 1 });
const fitted = await train({
  model: teacher, terms: [labelFit()],
  data: datasetFromArrays({ inputDim: d, outputDim: 1, train: { x: pool.x, targets: pool.targets }, test: { x: task.test.x, targets: task.test.targets } }),
  settings: { seed: 1, optimizer: { kind: 'adam', lr: 0.01 }, steps: 300, evalEvery: 300 },
});
const teacherAccuracy = fitted.evals.find((e) => e.split === 'test')?.metrics.accuracy ?? 0;
const zTensor = tf.tidy(() => teacher.apply(fitted.params, tf.tensor2d(student.x, [n, d])).logits);
const z = Float64Array.from(zTensor.dataSync()); // the teacher's logits on the student's inputs
zTensor.dispose();
teacher.dispose?.(fitted.params);
console.log(`teacher test accuracy ${teacherAccuracy.toFixed(3)}`);

// 2. The student, with the custom term and a step from the kernel's stability bound.
const weight = 1;
const term = pseudoHuberToTeacher({ delta: 0.5, weight });
const xs = Float64Array.from(student.x);
const H = hinf(xs, null, { inputDim: d }).data;
const { muMax, etaMax } = stabilityBound(H, weight);
const eta = 0.5 * etaMax;
const steps = 100;
const model = createWideStudent({ width: 8192 });
const run = await train({
  model, terms: [{ name: 'label', regularizer: labelFit() }, { name: 'pi', regularizer: term }],
  data: datasetFromArrays({ inputDim: d, outputDim: 1, train: { x: student.x, targets: student.targets, teacherLogits: z } }),
  settings: { seed: 2, optimizer: { kind: 'gd', lr: eta }, steps, recordOutputsAt: [steps], stability: { muMax, lambda: weight } },
});
const measured = run.evals.find((e) => e.step === steps && e.outputs)?.outputs ?? [];
const testX = task.test.x;
const testLogits = tf.tidy(() => model.apply(run.params, tf.tensor2d(testX, [task.test.n, d])).logits);
const measuredTest = Array.from(testLogits.dataSync());
testLogits.dispose();
model.dispose?.(run.params);

// 3. The prediction, on the same objective through the same term object.
const loss = sumLosses(squaredLoss(Float64Array.from(student.targets)), regularizerLoss(term, { n, outputs: 1, teacherLogits: z }));
const predicted = predictGeneric({ gram: H, loss, eta, test: { gram: hinf(Float64Array.from(testX), xs, { inputDim: d }).data } }, [steps]);
const uPred = predicted.u[0];
const fPred = predicted.test?.[0] ?? new Float64Array(0);

console.log(`mu_max ${muMax.toFixed(4)}, eta ${eta.toFixed(4)} (bound ${etaMax.toFixed(4)}), ${steps} GD steps, final loss ${run.finalLoss.toFixed(4)}`);
console.log('first training outputs, predicted vs measured:');
for (let i = 0; i < 5; i++) console.log(`  u_${i}: ${uPred[i].toFixed(4)}  ${measured[i].toFixed(4)}`);
check('teacher test error', 1 - teacherAccuracy, 0.3);
check('max |u_meas - u_pred| / max |u_pred| (training points)', relativeGap(measured, uPred), 0.03); // measured 9e-3
check('max |f_meas - f_pred| / max |f_pred| (200 test points)', relativeGap(measuredTest, fPred), 0.1); // measured 4.3e-2
