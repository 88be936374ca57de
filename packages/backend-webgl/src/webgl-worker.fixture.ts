// Runs inside a Web Worker (webgl-backend.webgl.test.ts): tfjs-webgl draws on an OffscreenCanvas there.
import * as tf from '@tensorflow/tfjs-core';
import { createWebglBackend } from './webgl-backend.js';

self.onmessage = async () => {
  try {
    const adapter = createWebglBackend();
    const probe = await adapter.probe();
    const active = await adapter.activate();
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor2d([0.5, -1, 2, 0.25, -3, 1.5], [3, 2]);
    const c = tf.matMul(a, b);
    const product = Array.from(await c.data());
    tf.dispose([a, b, c]);
    self.postMessage({ probe, backend: tf.getBackend(), features: active.features, product });
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
};
