import * as tf from '@tensorflow/tfjs-core';
import { NoBackendError } from './errors.js';

/**
 * Throws NoBackendError naming `owner` and the adapters to activate when tfjs has no backend, instead
 * of tfjs's bare "No backend found in registry." at the first tensor. A backend registered but not
 * yet initialised (an imported @tensorflow/tfjs-backend-*) counts as present: tfjs starts it.
 */
export function requireBackend(owner: string): string {
  try {
    void tf.engine().backend; // the getter starts the best registered backend, or throws when there is none
    return tf.getBackend();
  } catch (cause) {
    throw new NoBackendError([], { owner, cause });
  }
}
