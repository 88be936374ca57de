// Issue 3 acceptance, end to end: train a teacher MLP on a synthetic task, extract its logits as
// privileged information, and train the wide student (n = 64, m = 4096, symmetric init) on
// L = 1/2 ||u - y||^2 + lambda/2 ||u - z||^2 with full-batch GD. The student must reach the
// interpolated target ybar = (y + lambda z) / (1 + lambda) (SCIENCE.md P1), computed here on its own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createWasmBackend } from '@pikt/backend-wasm';
import { datasetFromArrays } from '@pikt/core';
import { createMlpTeacher, createWideStudent, extractPrivilegedInformation, loadParams, saveParams } from '@pikt/models';
import { createMemoryCheckpointStore, initialParams, train } from '@pikt/trainer';
import { expectNoTensorLeak } from '@pikt/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { empiricalGramMuMax, makeTeacherStudentTask } from './fixtures/trainer-synthetic.js';
import { labelFit, quadraticPi } from '@pikt/regularizers';

beforeAll(async () => { await createWasmBackend().activate(); });

const d = 16;
const task = makeTeacherStudentTask(2024, d, 0.25);
const TEACHER_TEST_ACCURACY = 0.9;

describe('teacher -> PI -> wide student, end to end (wasm)', () => {
  it(`the teacher MLP reaches test accuracy >= ${TEACHER_TEST_ACCURACY}; the student reaches ||u - ybar|| / ||ybar|| < 1e-2`, async () => {
    const t0 = performance.now();
    // 1. Teacher: one hidden layer of 64 ReLUs, Adam on the squared label loss, 1024 samples.
    const teacherTrain = task.draw('teacher-train', 1024);
    const test = task.draw('test', 1000);
    const teacher = createMlpTeacher({ width: 64, depth: 1 });
    const split = (s: typeof test) => ({ x: s.x, targets: s.y });
    const fitted = await train({
      model: teacher, terms: [{ name: 'label', regularizer: labelFit({ loss: 'squared' }) }],
      data: datasetFromArrays({ inputDim: d, outputDim: 1, train: split(teacherTrain), test: split(test) }),
      settings: { seed: 1, optimizer: { kind: 'adam', lr: 0.01 }, batchSize: 128, epochs: 30, evalEvery: 240 },
    });
    const testEval = fitted.evals.find((e) => e.split === 'test');
    const teacherAccuracy = testEval?.metrics.accuracy ?? 0;
    expect(teacherAccuracy).toBeGreaterThanOrEqual(TEACHER_TEST_ACCURACY);

    // 2. Save the teacher, load it back (an experiment reuses teachers), and extract its privileged
    //    information: the logits z on the student's 64 training points.
    const dir = await mkdtemp(join(tmpdir(), 'pikt-teacher-'));
    await saveParams(dir, teacher, fitted.params, { inputDim: d, outputDim: 1 });
    teacher.dispose?.(fitted.params);
    const loaded = await loadParams(dir, { expected: teacher, io: { inputDim: d, outputDim: 1 } });
    await rm(dir, { recursive: true, force: true });
    const student = task.draw('student-train', 64);
    const pi = await extractPrivilegedInformation(teacher, loaded.params, { x: student.x, n: 64 });
    tf.dispose(Object.values(loaded.params));
    const z = pi.logits;
    expect(pi.outputDim).toBe(1);

    // 3. The stability bound from the empirical NTK Gram at W(0) (float64 power iteration).
    const lambda = 1;
    const width = 4096;
    const model = createWideStudent({ width, kappa: 1, symmetric: true });
    const seed = 7;
    const w0 = initialParams(model, seed, { inputDim: d, outputDim: 1 });
    const muMax = empiricalGramMuMax(student.x, 64, d, w0.W.dataSync() as Float32Array, width);
    expect(Math.max(...Array.from(w0.a.dataSync(), Math.abs))).toBe(1);
    model.dispose?.(w0);
    const bound = 2 / ((1 + lambda) * muMax);
    const eta = 0.5 * bound; // effective step eta (1 + lambda) = 1 / mu_max
    const steps = 200;

    // 4. The student, full-batch GD on the quadratic PI objective.
    const result = await train({
      model,
      terms: [{ name: 'label', regularizer: labelFit({ loss: 'squared' }) }, { name: 'pi', regularizer: quadraticPi({ lambda }) }],
      data: datasetFromArrays({ inputDim: d, outputDim: 1, train: { x: student.x, targets: student.y, teacherLogits: z } }),
      settings: { seed, optimizer: { kind: 'gd', lr: eta }, steps, recordOutputsAt: [0, steps], stability: { muMax, lambda } },
    });
    const [u0, uEnd] = result.evals.filter((e) => e.outputs).map((e) => e.outputs as number[]);
    expect(u0.every((v) => v === 0)).toBe(true); // symmetric init: f(.; W(0)) = 0 exactly

    // 5. ybar computed independently, in float64.
    const ybar = Array.from(student.y, (y, i) => (y + lambda * z[i]) / (1 + lambda));
    let num = 0;
    let den = 0;
    ybar.forEach((v, i) => { num += (uEnd[i] - v) ** 2; den += v * v; });
    const rel = Math.sqrt(num / den);
    console.log(`[trainer e2e] teacher test accuracy ${teacherAccuracy.toFixed(3)}; mu_max ${muMax.toFixed(4)}, bound ${bound.toFixed(4)}, eta ${eta.toFixed(4)}; `
      + `||u - ybar||/||ybar|| = ${rel.toExponential(2)} after ${steps} steps; ||W - W(0)||_F = ${result.history.at(-1)?.weightDistance?.toFixed(4)}; `
      + `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(rel).toBeLessThan(1e-2);
    expect(result.stabilityBound).toBeCloseTo(bound, 12);
    model.dispose?.(result.params);
  });

  it('100 training steps of the wide student through the trainer leak no tensor on wasm', async () => {
    const student = task.draw('student-train', 64);
    const z = student.y.map((y, i) => y * (0.5 + (i % 5) / 5));
    await expectNoTensorLeak(async () => {
      for (const optimizer of [{ kind: 'gd' as const, lr: 0.2 }, { kind: 'adam' as const, lr: 0.001 }]) {
        const model = createWideStudent({ width: 512 });
        const r = await train({
          model, terms: [{ name: 'label', regularizer: labelFit({ loss: 'squared' }) }, { name: 'pi', regularizer: quadraticPi({ lambda: 1 }) }],
          data: datasetFromArrays({ inputDim: d, outputDim: 1, train: { x: student.x, targets: student.y, teacherLogits: z } }), checkpoints: createMemoryCheckpointStore(),
          settings: { seed: 3, optimizer, ...(optimizer.kind === 'adam' ? { batchSize: 16 } : {}), steps: 100, evalEvery: 25, recordOutputsAt: [100], checkpointEvery: 50 },
        });
        expect(r.history).toHaveLength(100);
        model.dispose?.(r.params);
      }
    }, 'wide student training');
  });
});
