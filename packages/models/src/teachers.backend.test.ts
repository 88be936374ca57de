import * as tf from '@tensorflow/tfjs-core';
import { createRng, type ModelV1, type ParamTensors } from '@pikt/core';
import { describeModelConformance } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { createCnnTeacher } from './cnn-teacher.js';
import { createMlpTeacher } from './mlp-teacher.js';

const mlp = createMlpTeacher({ width: 12, depth: 2 });
const cnn = createCnnTeacher({ filters: [3, 4], dense: 8 });
describeModelConformance({ model: mlp, io: { inputDim: 6, outputDim: 3 } });
describeModelConformance({ model: cnn, io: { inputDim: 64, outputDim: 3 }, batch: 4 });

/**
 * Teachers are trained by tfjs autodiff: the gradient of L = <logits, G> with respect to every
 * parameter must exist on this backend and agree with a central difference along a random direction.
 */
function checkAutodiff(model: ModelV1<ParamTensors>, inputDim: number) {
  const params = model.init(createRng(1), { inputDim, outputDim: 3 });
  const names = Object.keys(params);
  const x = tf.tensor2d(createRng(2).fillNormal(new Float32Array(4 * inputDim)), [4, inputDim]);
  const g = tf.tensor2d(createRng(3).fillNormal(new Float32Array(12)), [4, 3]);
  const loss = (...ts: tf.Tensor[]) => tf.sum(tf.mul(model.apply(Object.fromEntries(names.map((nm, i) => [nm, ts[i]])), x).logits, g)) as tf.Scalar;
  const grads = tf.grads(loss)(names.map((nm) => params[nm]));
  const dirs = names.map((nm, i) => createRng(`dir-${i}`).fillNormal(new Float32Array(params[nm].size)));
  const analytic = grads.reduce((s, gr, i) => s + (gr.dataSync() as Float32Array).reduce((t: number, v: number, j: number) => t + v * dirs[i][j], 0), 0);
  const h = 1e-3;
  const shifted = (sign: number) => tf.tidy(() => loss(...names.map((nm, i) => tf.add(params[nm], tf.mul(sign * h, tf.tensor(dirs[i], params[nm].shape))))).dataSync()[0]);
  const fd = (shifted(1) - shifted(-1)) / (2 * h);
  tf.dispose([x, g, ...grads]);
  model.dispose!(params);
  return { analytic, fd };
}

describe(`teachers train by autodiff on ${process.env.PIKT_TEST_BACKEND}`, () => {
  it('MLP gradient equals a central difference', () => {
    const { analytic, fd } = checkAutodiff(mlp, 6);
    expect(Math.abs(fd - analytic)).toBeLessThan(2e-2 * Math.abs(analytic));
  });
  it('CNN gradient equals a central difference (conv as im2col: no Conv2DBackpropFilter needed)', () => {
    const { analytic, fd } = checkAutodiff(cnn, 64);
    expect(Math.abs(fd - analytic)).toBeLessThan(2e-2 * Math.abs(analytic));
  });
});
