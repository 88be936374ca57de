import { MissingInputError, NonFiniteError, ShapeMismatchError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { checkData, checkSplit } from './data.js';

const split = { n: 2, inputDim: 3, outputDim: 1, x: [1, 2, 3, 4, 5, 6], labels: new Float64Array([1, -1]) };

describe('data checks', () => {
  it('copies arrays to float32 and keeps a Float32Array as is', () => {
    const x = new Float32Array(6);
    const s = checkSplit('train', { ...split, x });
    expect(s.x).toBe(x);
    expect(checkSplit('train', split).labels).toEqual(new Float32Array([1, -1]));
  });
  it('names sizes, lengths, non-finite values, missing inputs and dimension mismatches', () => {
    expect(() => checkSplit('train', { ...split, n: 0 })).toThrow('Invalid option "train.n": got 0. Expected an integer >= 1.');
    expect(() => checkSplit('train', { ...split, x: [1, 2] })).toThrow(ShapeMismatchError);
    expect(() => checkSplit('train', { ...split, x: [1, 2] })).toThrow('train.x (row-major [rows, cols], length 2): expected [2, 3], found length 2.');
    expect(() => checkSplit('test', { ...split, labels: [1, Infinity] })).toThrow(NonFiniteError);
    expect(() => checkSplit('test', { ...split, labels: [1, Infinity] })).toThrow('test.labels contains Infinity at index 1.');
    expect(() => checkSplit('train', { ...split, teacherFeatures: [1, 2] })).toThrow('"train.teacherFeatureDim": got undefined');
    expect(() => checkData({ train: split }, [{ name: 'pi', needs: ['teacherLogits'] }])).toThrow(MissingInputError);
    expect(() => checkData({ train: split }, [{ name: 'pi', needs: ['teacherLogits'] }])).toThrow('loss term "pi" needs the input "train.teacherLogits"');
    expect(() => checkData({ train: split }, [{ name: 'fm', needs: ['studentFeatures'] }])).not.toThrow();
    expect(() => checkData({ train: split, test: { ...split, inputDim: 2, x: [1, 2, 3, 4] } }, [])).toThrow('test split vs train split');
    expect(() => checkData({} as never, [])).toThrow('"data.train"');
  });
});
