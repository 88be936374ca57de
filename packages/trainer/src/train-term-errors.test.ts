import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { defineRegularizer } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, quadraticPi, squaredLabel } from '../test-support/linear-model.js';
import { train } from './train.js';

beforeAll(async () => { await createCpuBackend().activate(); });

const { data } = orthogonalProblem();
// A term that fails inside the gradient tape (after making tensors), and one that returns a vector.
const throwing = defineRegularizer({
  id: 'throws', needs: ['targets'], defaults: {},
  compute: ({ studentLogits, targets }) => {
    tf.square(tf.sub(studentLogits, targets));
    throw new Error('term failed');
  },
});
const vector = defineRegularizer({
  id: 'vector', needs: ['targets'], defaults: {},
  compute: ({ studentLogits, targets }) => tf.tidy(() => tf.sum(tf.square(tf.sub(studentLogits, targets)), 1)) as unknown as tf.Scalar,
});

describe('train() when a loss term fails', () => {
  for (const vjp of [true, false]) {
    it(`a throwing or non-scalar term rejects the run and leaks no tensor (${vjp ? 'vjp' : 'autodiff'})`, async () => {
      const settings = { seed: 1, optimizer: { kind: 'gd' as const, lr: 0.1 }, steps: 3 };
      await expectNoTensorLeak(async () => {
        const model = linearModel({ vjp });
        await expect(train({ model, terms: [squaredLabel(), { name: 'bad', regularizer: throwing() }, quadraticPi()], data, settings })).rejects.toThrow('term failed');
        await expect(train({ model, terms: [squaredLabel(), { name: 'vec', regularizer: vector() }], data, settings }))
          .rejects.toThrow('Shape mismatch in the value of loss term "vec" (vector): expected [], found [4].');
      }, 'failing runs');
    });
  }
});
