import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstNonFinite, fromArrayTensor, gatherRows, rootOfSum, splitTensors, squaredDistances, toArrayTensorAsync } from './run-tensors.js';

beforeAll(async () => { await createCpuBackend().activate(); });

describe('run tensors', () => {
  it('uploads a split and gathers mini-batch rows of every field', () => {
    const full = splitTensors({ n: 3, inputDim: 2, outputDim: 1, x: new Float32Array([1, 2, 3, 4, 5, 6]), targets: new Float32Array([7, 8, 9]) });
    const b = gatherRows(full, new Int32Array([2, 0]));
    expect(b.x.arraySync()).toEqual([[5, 6], [1, 2]]);
    expect(b.targets?.arraySync()).toEqual([[9], [7]]);
    expect(b.teacherLogits).toBeUndefined();
    tf.dispose([full.x, full.targets!, b.x, b.targets!]);
  });
  it('||W - W(0)||_F over the named parameters only', () => {
    const p = { a: tf.tensor1d([3, 0]), b: tf.tensor1d([0, 4]), c: tf.tensor1d([100]) };
    const z = { a: tf.zeros([2]), b: tf.zeros([2]), c: tf.zeros([1]) };
    const sums = squaredDistances(p, z, ['a', 'b']);
    expect(Array.from(sums.dataSync())).toEqual([9, 16]);
    expect(rootOfSum(sums.dataSync())).toBe(5);
    const none = squaredDistances(p, z, []);
    expect(rootOfSum(none.dataSync())).toBe(0);
    tf.dispose([sums, none]);
    tf.dispose([...Object.values(p), ...Object.values(z)]);
  });
  it('array tensors round-trip float32 and int32, reject bool, and find non-finite values', async () => {
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    const a = await toArrayTensorAsync('t', t);
    const back = fromArrayTensor(a);
    expect(back.arraySync()).toEqual([[1, 2], [3, 4]]);
    const i = await toArrayTensorAsync('i', tf.tensor1d([1, 2], 'int32'));
    expect(i.dtype).toBe('int32');
    await expect(toArrayTensorAsync('flag', tf.tensor1d([1], 'bool'))).rejects.toThrow('Parameter "flag" has dtype bool');
    expect(firstNonFinite({ shape: [3], dtype: 'float32', data: new Float32Array([0, Number.NaN, 1]) })).toBe(1);
    expect(firstNonFinite(a)).toBe(-1);
    tf.dispose([t, back]);
  });
});
