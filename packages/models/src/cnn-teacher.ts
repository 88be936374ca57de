import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeMismatchError, type ModelIO, type ModelV1, type Rng, requireNumber, requireOneOf } from '@pikt/core';
import { conv2dSame } from './conv-im2col.js';
import { glorotNormal, heNormal } from './dense-init.js';
import { requireIO, resolveModelOptions } from './options.js';

export const CNN_TEACHER_ID = 'cnn-teacher';

/** Options of `createCnnTeacher` (all JSON). */
export type CnnTeacherOptions = {
  /** [height, width, channels] of the flattened inputs; null infers 784 -> [28, 28, 1], 3072 -> [32, 32, 3], s^2 -> [s, s, 1]. */
  imageShape: [number, number, number] | null;
  /** How each input row is flattened: 'hwc' (channels last, MNIST) or 'chw' (planar, CIFAR-10 binary files). */
  layout: 'hwc' | 'chw';
  /** Filters of each conv block (conv k x k 'same' + relu + 2x2 max-pool); the depth is the list's length. */
  filters: number[];
  /** Odd convolution kernel size. */
  kernelSize: number;
  /** Units of the dense hidden layer whose activations are the teacher's features. */
  dense: number;
};

export const CNN_TEACHER_DEFAULTS: Readonly<CnnTeacherOptions> = Object.freeze({ imageShape: null, layout: 'hwc', filters: [16, 32], kernelSize: 3, dense: 64 });

export type CnnTeacherParams = Record<string, tf.Tensor>;

export interface CnnTeacher extends ModelV1<CnnTeacherParams> {
  readonly options: CnnTeacherOptions;
  paramShapes(io: ModelIO): Record<string, number[]>;
  dispose(params: CnnTeacherParams): void;
}

/**
 * A small convolutional teacher for 28x28 (MNIST, Fashion-MNIST) or 32x32x3 (CIFAR-10) images:
 *
 *   h_0 = image(x);  h_l = maxpool2(relu(conv_l(h_{l-1})))   (l = 1..filters.length)
 *   features = relu(flatten(h_L) W_fc + b_fc)  [batch, dense];   logits = features W_out + b_out.
 *
 * Convolutions are im2col products (`conv2dSame`) so tfjs autodiff trains it on every backend,
 * wasm included. He-normal weights, zero biases, drawn in JS from child streams of the init rng.
 * Parameters: conv{l}_w [k, k, cin, f], conv{l}_b [f], fc_w, fc_b, out_w, out_b.
 */
export function createCnnTeacher(partial: Partial<CnnTeacherOptions> = {}): CnnTeacher {
  const o = resolveModelOptions(CNN_TEACHER_ID, structuredClone(CNN_TEACHER_DEFAULTS) as CnnTeacherOptions, partial, (v) => {
    if (v.imageShape !== null) {
      if (!Array.isArray(v.imageShape) || v.imageShape.length !== 3) throw new InvalidOptionError(`${CNN_TEACHER_ID}.imageShape`, v.imageShape, '[height, width, channels] or null');
      v.imageShape.forEach((s, i) => requireNumber(`${CNN_TEACHER_ID}.imageShape[${i}]`, s, { integer: true, min: 1 }));
    }
    requireOneOf(`${CNN_TEACHER_ID}.layout`, v.layout, ['hwc', 'chw']);
    if (v.filters.length === 0) throw new InvalidOptionError(`${CNN_TEACHER_ID}.filters`, v.filters, 'at least one conv block, e.g. [16, 32]');
    v.filters.forEach((f, i) => requireNumber(`${CNN_TEACHER_ID}.filters[${i}]`, f, { integer: true, min: 1 }));
    requireNumber(`${CNN_TEACHER_ID}.kernelSize`, v.kernelSize, { integer: true, min: 1, max: 15 });
    if (v.kernelSize % 2 === 0) throw new InvalidOptionError(`${CNN_TEACHER_ID}.kernelSize`, v.kernelSize, "an odd size ('same' padding)");
    requireNumber(`${CNN_TEACHER_ID}.dense`, v.dense, { integer: true, min: 1 });
  });
  const imageOf = (inputDim: number): [number, number, number] => {
    const shape = o.imageShape ?? inferImageShape(inputDim);
    if (shape[0] * shape[1] * shape[2] !== inputDim) {
      throw new ShapeMismatchError(`${CNN_TEACHER_ID}: imageShape [${shape}] vs inputDim`, [shape[0] * shape[1] * shape[2]], [inputDim]);
    }
    const shrink = 2 ** o.filters.length;
    if (shape[0] < shrink || shape[1] < shrink) {
      throw new InvalidOptionError(`${CNN_TEACHER_ID}.filters`, o.filters, `at most ${Math.floor(Math.log2(Math.min(shape[0], shape[1])))} conv blocks for ${shape[0]}x${shape[1]} images (each halves the size)`);
    }
    return shape;
  };
  const paramShapes = (io: ModelIO): Record<string, number[]> => {
    requireIO(CNN_TEACHER_ID, io);
    let [h, w, c] = imageOf(io.inputDim);
    const shapes: Record<string, number[]> = {};
    o.filters.forEach((f, l) => {
      shapes[`conv${l}_w`] = [o.kernelSize, o.kernelSize, c, f];
      shapes[`conv${l}_b`] = [f];
      [h, w, c] = [Math.floor(h / 2), Math.floor(w / 2), f];
    });
    Object.assign(shapes, { fc_w: [h * w * c, o.dense], fc_b: [o.dense], out_w: [o.dense, io.outputDim], out_b: [io.outputDim] });
    return shapes;
  };
  return {
    specificationVersion: 'v1',
    id: CNN_TEACHER_ID,
    options: Object.freeze(structuredClone(o)),
    paramShapes,
    init(rng: Rng, io: ModelIO): CnnTeacherParams {
      const params: CnnTeacherParams = {};
      for (const [name, shape] of Object.entries(paramShapes(io))) {
        const fanIn = shape.slice(0, -1).reduce((p, s) => p * s, 1);
        const fanOut = shape[shape.length - 1];
        const values = shape.length === 1 ? new Float32Array(fanOut)
          : name === 'out_w' ? glorotNormal(rng.child(name), fanIn, fanOut) : heNormal(rng.child(name), fanIn, fanOut);
        params[name] = tf.tensor(values, shape);
      }
      return params;
    },
    apply(params, x) {
      const inputDim = x.shape[1];
      const [h, w, c] = imageOf(inputDim);
      const cin = params.conv0_w?.shape[2];
      if (x.rank !== 2 || cin !== c) throw new ShapeMismatchError(`${CNN_TEACHER_ID} input x (channels of conv0_w)`, [cin ?? 0], [c]);
      return tf.tidy(() => {
        let img = o.layout === 'chw'
          ? tf.transpose(tf.reshape(x, [x.shape[0], c, h, w]), [0, 2, 3, 1]) as tf.Tensor4D
          : tf.reshape(x, [x.shape[0], h, w, c]) as tf.Tensor4D;
        for (let l = 0; l < o.filters.length; l++) {
          img = tf.maxPool(tf.relu(conv2dSame(img, params[`conv${l}_w`] as tf.Tensor4D, params[`conv${l}_b`] as tf.Tensor1D)), 2, 2, 'valid');
        }
        const flat = tf.reshape(img, [x.shape[0], -1]) as tf.Tensor2D;
        const features = tf.relu(tf.add(tf.matMul(flat, params.fc_w as tf.Tensor2D), params.fc_b)) as tf.Tensor2D;
        return { logits: tf.add(tf.matMul(features, params.out_w as tf.Tensor2D), params.out_b) as tf.Tensor2D, features };
      });
    },
    dispose(params) {
      tf.dispose(Object.values(params));
    },
  };
}

function inferImageShape(inputDim: number): [number, number, number] {
  if (inputDim === 3072) return [32, 32, 3];
  const s = Math.round(Math.sqrt(inputDim));
  if (s * s === inputDim) return [s, s, 1];
  throw new InvalidOptionError(`${CNN_TEACHER_ID}.imageShape`, null, `[height, width, channels] for inputs of dimension ${inputDim} (only square grey images and 32x32x3 are inferred)`);
}
