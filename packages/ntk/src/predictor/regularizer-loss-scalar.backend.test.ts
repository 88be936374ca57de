import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizer, ShapeMismatchError } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { regularizerLoss } from './output-losses.js';

// A term that returns one value per row instead of a scalar (issue 9, point 4): regularizerLoss used
// element 0 as the value and differentiated the sum; it must refuse it as the trainer does.
const perRow = defineRegularizer({
  id: 'per-row', needs: ['teacherLogits'], defaults: {},
  compute: ({ studentLogits, teacherLogits }) => tf.tidy(() => tf.sum(tf.square(tf.sub(studentLogits, teacherLogits)), 1)) as unknown as tf.Scalar,
});

describe('regularizerLoss with a non-scalar term', () => {
  const n = 4;
  const u = Float64Array.from([0.5, -1, 2, 0]);
  const z = Float64Array.from([1, 1, 1, 1]);
  it('value and grad throw the trainer\'s ShapeMismatchError, leaking no tensor', async () => {
    const loss = regularizerLoss(perRow(), { n, outputs: 1, teacherLogits: z });
    const message = 'Shape mismatch in the value of loss term "per-row" (per-row): expected [], found [4].';
    await expectNoTensorLeak(() => {
      expect(() => loss.value(u)).toThrow(ShapeMismatchError);
      expect(() => loss.value(u)).toThrow(message);
      expect(() => loss.grad(u)).toThrow(message);
    }, 'non-scalar regularizerLoss');
  });
});
