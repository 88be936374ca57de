import * as tf from '@tensorflow/tfjs-core';

/**
 * Read a tensor's values with `await data()` and dispose it. GPU backends have no fast synchronous
 * read (tfjs-backend-webgpu in Node has none at all: its `dataSync` needs an OffscreenCanvas), so
 * conformance suites read this way on every backend.
 */
export async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return Float32Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/** First value of a scalar (or any tensor), read asynchronously; the tensor is disposed. */
export async function readScalar(t: tf.Tensor): Promise<number> {
  return (await readAndDispose(t))[0];
}
