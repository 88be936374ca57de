import * as tf from '@tensorflow/tfjs-core';
import { NoGradientsError } from './errors.js';

/**
 * Kernels whose gradients training needs in practice (matmul, relu, the reductions and pointwise ops
 * of the loss terms). If any is missing, the full set is registered.
 */
const PROBE_KERNELS = ['Add', 'Sub', 'Multiply', 'RealDiv', 'Sum', 'Square', 'BatchMatMul', 'Relu', 'Exp', 'Log', 'Max', 'Reshape'];

let loading: Promise<void> | undefined;

/** True when tfjs has a gradient for every kernel of `PROBE_KERNELS`. */
export function gradientsRegistered(): boolean {
  return PROBE_KERNELS.every((k) => tf.getGradient(k) !== undefined);
}

/**
 * Make tfjs-core's gradient functions available, in plain Node as well as in bundlers and browsers.
 * Everything in pikt that differentiates calls it (the trainer, the testkit suites, the pikt backend
 * adapters' `activate()`); call it yourself before `tf.grad` when you activated a backend another way.
 *
 * Why: tfjs-core's Node entry registers no gradients, and its `dist/register_all_gradients.js` cannot
 * be imported by Node's ESM loader (extensionless imports). `@pikt/core` ships the same module
 * bundled by esbuild at build time (`gradients/register-all-gradients.js`); this function imports it
 * once when a gradient is missing, and falls back to tfjs's own module (which bundlers such as Vite
 * resolve). Idempotent and cheap after the first call.
 *
 * @throws NoGradientsError (`PIKT_NO_GRADIENTS`) when neither module loads (package not built).
 */
export async function ensureGradients(): Promise<void> {
  if (gradientsRegistered()) return;
  loading ??= (async () => {
    try {
      await import('../gradients/register-all-gradients.js');
    } catch (bundled) {
      try {
        await import(/* @vite-ignore */ '@tensorflow/tfjs-core/dist/register_all_gradients.js');
      } catch {
        loading = undefined;
        throw new NoGradientsError(`@pikt/core's bundled registration module could not be loaded (${String(bundled)})`,
          'Build @pikt/core (pnpm --filter @pikt/core build, which runs scripts/bundle-gradients.mjs), or import "@tensorflow/tfjs-core/dist/register_all_gradients" in your bundled entry.',
          bundled);
      }
    }
  })();
  await loading;
  if (!gradientsRegistered()) {
    const missing = PROBE_KERNELS.filter((k) => tf.getGradient(k) === undefined);
    throw new NoGradientsError(`they are still missing for ${missing.join(', ')} after registration`,
      'Check that a single @tensorflow/tfjs-core version (4.22.0) is installed (npm ls @tensorflow/tfjs-core).');
  }
}

/**
 * Synchronous guard for functions that differentiate but cannot await (ntk's `regularizerLoss`):
 * throws NoGradientsError naming `owner` and what to call, instead of tfjs's "gradient function not
 * found for Add" at the first gradient.
 */
export function requireGradients(owner: string): void {
  if (gradientsRegistered()) return;
  throw new NoGradientsError(`${owner} differentiates with tf.grad, but no gradient is registered`,
    'Call `await ensureGradients()` (from @pikt/core) once first; activating a pikt backend adapter (createWasmBackend(), createCpuBackend()) does it for you.');
}
