import { ensureGradients, type ActiveBackend, type BackendAdapterV1, type BackendFeatures, type ProbeResult } from '@pikt/core';

const FEATURES: BackendFeatures = { floatPrecision: 32, device: 'JavaScript (tfjs-backend-cpu)' };

/**
 * Reference adapter over `@tensorflow/tfjs-backend-cpu` (plain JS kernels, float32). Slow but the
 * ground truth of the conformance suites. It is also the template for adapter authors: probe without
 * side effects, register inside `activate()` through a dynamic import, make activation idempotent,
 * and end with core's `ensureGradients()` so that tf.grad works once the backend is active.
 */
export function createCpuBackend(options: { priority?: number } = {}): BackendAdapterV1 {
  let registered: Promise<unknown> | undefined;
  return {
    specificationVersion: 'v1',
    id: 'cpu',
    priority: options.priority ?? 0,
    async probe(): Promise<ProbeResult> {
      return { supported: true, features: FEATURES };
    },
    async activate(): Promise<ActiveBackend> {
      const tf = await import('@tensorflow/tfjs-core');
      // Importing the package registers the 'cpu' backend and its kernels: do it once, lazily.
      registered ??= import('@tensorflow/tfjs-backend-cpu').catch((err) => { registered = undefined; throw err; });
      await registered;
      if (tf.getBackend() !== 'cpu' && !(await tf.setBackend('cpu'))) {
        throw new Error('tf.setBackend("cpu") returned false.');
      }
      // The cpu backend prints a "use tfjs-node" banner on first write in Node; pikt chose cpu on
      // purpose (reference results), so the banner is noise in CLI output and test logs.
      const backend = tf.findBackend('cpu') as { firstUse?: boolean } | null;
      if (backend) backend.firstUse = false;
      await ensureGradients(); // an activated pikt backend can differentiate (tf.grad) in plain Node too
      return { id: 'cpu', tfBackendName: 'cpu', features: FEATURES };
    },
  };
}
