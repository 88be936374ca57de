import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError, type ModelIO, type ModelV1, type Rng, requireNumber, requireOneOf } from '@pikt/core';
import { glorotNormal, heNormal } from './dense-init.js';
import { requireIO, resolveModelOptions } from './options.js';

export const MLP_TEACHER_ID = 'mlp-teacher';

/** Options of `createMlpTeacher` (all JSON). */
export type MlpTeacherOptions = {
  /** Units per hidden layer (the teacher-quality knob "width"). */
  width: number;
  /** Number of hidden layers (>= 1). */
  depth: number;
  activation: 'relu' | 'tanh';
};

export const MLP_TEACHER_DEFAULTS: Readonly<MlpTeacherOptions> = Object.freeze({ width: 128, depth: 1, activation: 'relu' });

/** Parameters: dense{l}_w [in, out] and dense{l}_b [out] per hidden layer l, then out_w [width, K], out_b [K]. */
export type MlpTeacherParams = Record<string, tf.Tensor>;

export interface MlpTeacher extends ModelV1<MlpTeacherParams> {
  readonly options: MlpTeacherOptions;
  paramShapes(io: ModelIO): Record<string, number[]>;
  dispose(params: MlpTeacherParams): void;
}

/**
 * A multilayer perceptron teacher g: R^d -> R^K (SCIENCE.md section 1, "Teacher"):
 *
 *   h_0 = x,  h_l = act(h_{l-1} W_l + b_l)  (l = 1..depth),  logits = h_depth W_out + b_out,
 *
 * features = h_depth (the last hidden layer, [batch, width]). He-normal hidden weights, Glorot
 * output weights, zero biases, all drawn in JS from child streams of the init rng. Weights are
 * stored [in, out] so the forward pass has no transposes; it has no hand-written vjp: trainers
 * fit it with tfjs autodiff.
 */
export function createMlpTeacher(partial: Partial<MlpTeacherOptions> = {}): MlpTeacher {
  const o = resolveModelOptions(MLP_TEACHER_ID, { ...MLP_TEACHER_DEFAULTS }, partial, (v) => {
    requireNumber(`${MLP_TEACHER_ID}.width`, v.width, { integer: true, min: 1 });
    requireNumber(`${MLP_TEACHER_ID}.depth`, v.depth, { integer: true, min: 1, max: 64 });
    requireOneOf(`${MLP_TEACHER_ID}.activation`, v.activation, ['relu', 'tanh']);
  });
  const paramShapes = (io: ModelIO): Record<string, number[]> => {
    requireIO(MLP_TEACHER_ID, io);
    const shapes: Record<string, number[]> = {};
    let fanIn = io.inputDim;
    for (let l = 0; l < o.depth; l++) {
      shapes[`dense${l}_w`] = [fanIn, o.width];
      shapes[`dense${l}_b`] = [o.width];
      fanIn = o.width;
    }
    shapes.out_w = [o.width, io.outputDim];
    shapes.out_b = [io.outputDim];
    return shapes;
  };
  const act = o.activation === 'tanh' ? tf.tanh : tf.relu;
  return {
    specificationVersion: 'v1',
    id: MLP_TEACHER_ID,
    options: Object.freeze({ ...o }),
    paramShapes,
    init(rng: Rng, io: ModelIO): MlpTeacherParams {
      const params: MlpTeacherParams = {};
      for (const [name, shape] of Object.entries(paramShapes(io))) {
        const values = shape.length === 1
          ? new Float32Array(shape[0])
          : name === 'out_w' ? glorotNormal(rng.child(name), shape[0], shape[1]) : heNormal(rng.child(name), shape[0], shape[1]);
        params[name] = tf.tensor(values, shape);
      }
      return params;
    },
    apply(params, x) {
      const inputDim = params.dense0_w?.shape[0];
      if (x.rank !== 2 || x.shape[1] !== inputDim) {
        throw new ShapeMismatchError(`${MLP_TEACHER_ID} input x (batch, inputDim)`, `[batch, ${inputDim}]`, x.shape);
      }
      return tf.tidy(() => {
        let h: tf.Tensor2D = x;
        for (let l = 0; l < o.depth; l++) h = act(tf.add(tf.matMul(h, params[`dense${l}_w`] as tf.Tensor2D), params[`dense${l}_b`])) as tf.Tensor2D;
        return { logits: tf.add(tf.matMul(h, params.out_w as tf.Tensor2D), params.out_b) as tf.Tensor2D, features: h };
      });
    },
    dispose(params) {
      tf.dispose(Object.values(params));
    },
  };
}
