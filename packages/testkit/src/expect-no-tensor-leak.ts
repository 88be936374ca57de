import * as tf from '@tensorflow/tfjs-core';

/**
 * Run `fn` and assert that the number of live tensors is the same after as before (tf.memory()).
 * Works with sync and async functions. Returns what `fn` returned, which must not hold tensors.
 */
export async function expectNoTensorLeak<T>(fn: () => T | Promise<T>, label = 'function'): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(`expectNoTensorLeak: ${label} leaked ${after - before} tensor(s) (${before} before, ${after} after). Wrap tensor work in tf.tidy or dispose the results.`);
  }
  return result;
}
