import * as tf from '@tensorflow/tfjs-core';
import { MLP_TEACHER_ID, ParamsFileError, createMlpTeacher, loadParams, saveParams } from '@pikt/models';
import type { MlpTeacherParams } from '@pikt/models';
import { labelFit } from '@pikt/regularizers';
import { train } from '@pikt/trainer';
import { accuracy, datasetFromArrays, type ModelV1, type ReporterV1 } from '@pikt/core';
import type { PreparedTask } from './task.js';

/** A trained teacher's privileged information on the task's train and test inputs. */
export interface TeacherOutputs {
  label: string;
  /** Logits z on the training inputs [n] and the test inputs [nTest]. */
  z: Float64Array;
  zTest: Float64Array;
  /** Hidden features (last hidden layer / sqrt(h)) on train [n, hidden] and test [nTest, hidden]. */
  features: Float64Array;
  featuresTest: Float64Array;
  featureDim: number;
  testAccuracy: number;
  trainSamples: number;
}

export interface TeacherSpec {
  label: string;
  hidden: number;
  trainFraction: number;
  steps: number;
  lr: number;
  seed: number;
}

function take(x: Float64Array, d: number, rows: number): Float64Array {
  return x.subarray(0, rows * d);
}

/**
 * Train a teacher of controlled quality: an MLP with one ReLU hidden layer (@pikt/models) fitted with Adam to the squared loss on the first `trainFraction` of the teacher's
 * own pool (disjoint from the student's samples; its order is a seeded shuffle) for `steps` steps.
 * Quality knobs: data and steps. Its outputs on the student's inputs are thus genuine predictions.
 */
export async function trainTeacher(task: PreparedTask, spec: TeacherSpec, options: { signal?: AbortSignal; reporters?: ReporterV1[]; saveWeightsTo?: string; write?: (path: string, data: Uint8Array) => Promise<void> } = {}): Promise<TeacherOutputs | undefined> {
  const nTrain = Math.max(2, Math.round(task.nTeacher * spec.trainFraction));
  const model = createMlpTeacher({ width: spec.hidden, depth: 1, activation: 'relu' });
  const result = await train({
    model,
    terms: [{ name: 'label', regularizer: labelFit({ loss: 'squared' }) }],
    data: datasetFromArrays({ id: 'teacher-pool', inputDim: task.d, outputDim: 1, train: { x: take(task.xTeacher, task.d, nTrain), targets: take(task.yTeacher, 1, nTrain) } }),
    settings: { seed: `${spec.seed}/teacher/${spec.label}`, optimizer: { kind: 'adam', lr: spec.lr }, steps: spec.steps, trackWeightDistance: false },
    signal: options.signal, readEvery: 25,
    reporters: options.reporters,
  });
  if (result.status === 'aborted') { model.dispose?.(result.params); return undefined; }
  const params = result.params as MlpTeacherParams;
  try {
    const out = await teacherOutputsOn(model, params, task, spec.hidden);
    if (options.saveWeightsTo) {
      await saveParams(options.saveWeightsTo, model, params as unknown as Record<string, tf.Tensor>, { inputDim: task.d, outputDim: 1 },
        { meta: { label: spec.label, trainSamples: nTrain, testAccuracy: out.testAccuracy, seed: spec.seed }, write: options.write });
    }
    return { label: spec.label, ...out, trainSamples: nTrain };
  } finally {
    model.dispose?.(params);
  }
}

/**
 * A teacher's privileged information on the task's train and test inputs, from its parameters
 * (just trained, or loaded from the weights `pikt train-teacher` saved).
 */
export async function teacherOutputsOn(model: ModelV1<MlpTeacherParams>, params: MlpTeacherParams, task: Pick<PreparedTask, 'x' | 'xTest' | 'n' | 'nTest' | 'd' | 'yTest'>, hidden: number): Promise<Omit<TeacherOutputs, 'label' | 'trainSamples'>> {
  // Read with await data(): GPU backends (node-gpu) have no fast synchronous read.
  const run = async (x: Float64Array, n: number) => {
    const [logits, feats] = tf.tidy(() => {
      const out = model.apply(params, tf.tensor2d(Float32Array.from(x), [n, task.d], 'float32'));
      // Scale the hidden layer like the NTK parameterization so feature norms do not grow with h.
      return [out.logits, tf.div(out.features as tf.Tensor2D, Math.sqrt(hidden))];
    });
    const r = { z: Float64Array.from(await logits.data()), f: Float64Array.from(await feats.data()) };
    tf.dispose([logits, feats]);
    return r;
  };
  const tr = await run(task.x, task.n);
  const te = await run(task.xTest, task.nTest);
  // One accuracy tie rule everywhere (@pikt/core metrics).
  return { z: tr.z, zTest: te.z, features: tr.f, featuresTest: te.f, featureDim: hidden, testAccuracy: accuracy(te.z, task.yTest, 1) ?? Number.NaN };
}

/** Rebuild a teacher saved by `pikt train-teacher` (model.json + weights.bin in `dir`) and compute its outputs on `task`. */
export async function loadTeacherOutputs(dir: string, task: PreparedTask): Promise<Omit<TeacherOutputs, 'label' | 'trainSamples'>> {
  const loaded = await loadParams(dir, { io: { inputDim: task.d, outputDim: 1 } });
  if (loaded.modelId !== MLP_TEACHER_ID) {
    for (const t of Object.values(loaded.params)) t.dispose();
    throw new ParamsFileError(`${dir} holds a "${loaded.modelId}" model, not a pikt MLP teacher ("${MLP_TEACHER_ID}").`, 'Point teacher.weights to the folder pikt train-teacher wrote.');
  }
  const model = createMlpTeacher(loaded.options as never);
  const params = loaded.params as unknown as MlpTeacherParams;
  try {
    return await teacherOutputsOn(model, params, task, model.options.width);
  } finally {
    model.dispose?.(params);
  }
}
