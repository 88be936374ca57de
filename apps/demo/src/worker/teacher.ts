import * as tf from '@tensorflow/tfjs-core';
import { datasetFromArrays } from '@pikt/core';
import { createMlpTeacher } from '@pikt/models';
import type { MlpTeacherParams } from '@pikt/models';
import { labelFit } from '@pikt/regularizers';
import { train } from '@pikt/trainer';
import type { Task } from '../data.js';
import type { DemoState } from '../state.js';

/** A trained teacher: its PI on the student's samples and a function to evaluate it on more points. */
export interface TrainedTeacher {
  z: Float64Array; zTest: Float64Array;
  /** Hidden features / sqrt(h) on the student's training samples [n, h] (feature matching). */
  features: Float64Array; featureDim: number;
  trainSamples: number; testAccuracy: number; trainAccuracy: number;
  evaluate(x: Float64Array): Promise<Float64Array>;
  dispose(): void;
}

const accuracy = (u: ArrayLike<number>, y: ArrayLike<number>) => {
  let r = 0;
  for (let i = 0; i < y.length; i++) if (Math.sign(u[i]) === y[i]) r += 1;
  return y.length ? r / y.length : 0;
};

/**
 * The teacher of controlled quality (SCIENCE.md section 1): a one-hidden-layer ReLU MLP (width 32, or
 * 2 for the narrow kind) fitted by Adam to the squared loss on the first `teacherFraction` of its own
 * pool (labels flipped at rate `labelNoise`), for `teacherSteps` steps, through @pikt/trainer.
 */
export async function trainTeacher(task: Task, state: DemoState, signal: AbortSignal): Promise<TrainedTeacher | undefined> {
  const hidden = state.teacher === 'narrow-mlp' ? 2 : 32;
  const dim = task.teacherDim;
  const nTrain = Math.max(2, Math.round(task.nPool * state.teacherFraction));
  const model = createMlpTeacher({ width: hidden, depth: 1, activation: 'relu' });
  const result = await train({
    model,
    terms: [{ name: 'label', regularizer: labelFit({ loss: 'squared', reduction: 'mean' }) }],
    data: datasetFromArrays({ id: 'teacher-pool', inputDim: dim, outputDim: 1, train: { x: task.xPool.subarray(0, nTrain * dim), targets: task.yPool.subarray(0, nTrain) } }),
    settings: { seed: `${state.seed}/teacher`, optimizer: { kind: 'adam', lr: 0.02 }, steps: state.teacherSteps, trackWeightDistance: false },
    signal,
    // Read the losses every 25 steps (an abort then waits for the next read): one readback, not one a step.
    readEvery: 25,
  });
  if (result.status === 'aborted') { model.dispose(result.params as MlpTeacherParams); return undefined; }
  const params = result.params as MlpTeacherParams;
  const run = async (x: Float64Array) => {
    const rows = x.length / dim;
    const [logits, feats] = tf.tidy(() => {
      const out = model.apply(params, tf.tensor2d(Float32Array.from(x), [rows, dim]));
      return [out.logits, tf.div(out.features as tf.Tensor2D, Math.sqrt(hidden))];
    });
    try {
      const [z, f] = await Promise.all([logits.data(), feats.data()]);
      return { z: Float64Array.from(z), f: Float64Array.from(f) };
    } finally {
      tf.dispose([logits, feats]);
    }
  };
  const tr = await run(task.teacherX);
  const te = await run(task.teacherXTest);
  return {
    z: tr.z, zTest: te.z, features: tr.f, featureDim: hidden, trainSamples: nTrain,
    testAccuracy: accuracy(te.z, task.yTest), trainAccuracy: accuracy(tr.z, task.y),
    evaluate: async (x) => (await run(x)).z,
    dispose: () => model.dispose(params),
  };
}
