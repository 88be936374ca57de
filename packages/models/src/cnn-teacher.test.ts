import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCnnTeacher } from './cnn-teacher.js';

beforeAll(async () => { await createCpuBackend().activate(); });

describe('createCnnTeacher', () => {
  it('infers 28x28x1 and 32x32x3 images and lists parameter shapes', () => {
    const model = createCnnTeacher({ filters: [4, 8], dense: 16 });
    expect(model.paramShapes({ inputDim: 784, outputDim: 10 })).toEqual({
      conv0_w: [3, 3, 1, 4], conv0_b: [4], conv1_w: [3, 3, 4, 8], conv1_b: [8],
      fc_w: [7 * 7 * 8, 16], fc_b: [16], out_w: [16, 10], out_b: [10],
    });
    expect(model.paramShapes({ inputDim: 3072, outputDim: 10 }).conv0_w).toEqual([3, 3, 3, 4]);
    expect(model.paramShapes({ inputDim: 3072, outputDim: 10 }).fc_w).toEqual([8 * 8 * 8, 16]);
  });
  it('explains bad image options', () => {
    expect(() => createCnnTeacher().paramShapes({ inputDim: 10, outputDim: 2 })).toThrow(/imageShape.*dimension 10/);
    expect(() => createCnnTeacher({ imageShape: [5, 5, 1] }).paramShapes({ inputDim: 30, outputDim: 2 })).toThrow(/imageShape/);
    expect(() => createCnnTeacher({ filters: [2, 2, 2, 2, 2, 2] }).paramShapes({ inputDim: 784, outputDim: 2 })).toThrow(/at most 4 conv blocks/);
    expect(() => createCnnTeacher({ kernelSize: 4 })).toThrow(/odd/);
    expect(() => createCnnTeacher({ filters: [] })).toThrow(/at least one conv block/);
  });
  it('computes conv -> relu -> maxpool -> dense -> dense as tf.conv2d does', () => {
    const model = createCnnTeacher({ imageShape: [6, 6, 2], filters: [3], dense: 4 });
    const params = model.init(createRng(1), { inputDim: 72, outputDim: 2 });
    const xs = createRng(2).fillNormal(new Float32Array(3 * 72));
    const x = tf.tensor2d(xs, [3, 72]);
    const { logits, features } = model.apply(params, x);
    const ref = tf.tidy(() => {
      const img = tf.reshape(x, [3, 6, 6, 2]) as tf.Tensor4D;
      const c = tf.maxPool(tf.relu(tf.add(tf.conv2d(img, params.conv0_w as tf.Tensor4D, 1, 'same'), params.conv0_b)) as tf.Tensor4D, 2, 2, 'valid');
      const f = tf.relu(tf.add(tf.matMul(tf.reshape(c, [3, 27]), params.fc_w as tf.Tensor2D), params.fc_b));
      return [f, tf.add(tf.matMul(f, params.out_w as tf.Tensor2D), params.out_b)];
    });
    expect(features!.shape).toEqual([3, 4]);
    Array.from(logits.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref[1].dataSync()[i], 5));
    Array.from(features!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref[0].dataSync()[i], 5));
  });
  it("reads planar 'chw' rows as the same images as 'hwc' rows", () => {
    const hwc = createCnnTeacher({ imageShape: [4, 4, 3], filters: [2], dense: 3 });
    const chw = createCnnTeacher({ imageShape: [4, 4, 3], filters: [2], dense: 3, layout: 'chw' });
    const params = hwc.init(createRng(3), { inputDim: 48, outputDim: 2 });
    const xs = createRng(4).fillNormal(new Float32Array(48));
    const planar = new Float32Array(48);
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) for (let ch = 0; ch < 3; ch++) planar[ch * 16 + r * 4 + c] = xs[(r * 4 + c) * 3 + ch];
    const a = hwc.apply(params, tf.tensor2d(xs, [1, 48])).logits.dataSync();
    const b = chw.apply(params, tf.tensor2d(planar, [1, 48])).logits.dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
