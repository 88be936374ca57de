import * as tf from '@tensorflow/tfjs-core';
import { PiktError } from '@pikt/core';

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
 *
 * Why: tfjs-core's Node entry registers no gradients, and its `dist/register_all_gradients.js` cannot
 * be imported by Node's ESM loader (extensionless imports). `@pikt/trainer` ships the same module
 * bundled by esbuild at build time (`gradients/register-all-gradients.js`); this function imports it
 * once when a gradient is missing. Idempotent and cheap after the first call. An application that
 * already imports `@tensorflow/tfjs-core/dist/register_all_gradients` (or `@tensorflow/tfjs`) in a
 * bundled entry never triggers the import.
 *
 * @throws PiktError `PIKT_NO_GRADIENTS` when the bundled module is absent (package not built).
 */
export async function ensureGradients(): Promise<void> {
  if (gradientsRegistered()) return;
  loading ??= (async () => {
    try {
      await import('../gradients/register-all-gradients.js');
    } catch (cause) {
      loading = undefined;
      throw new PiktError('PIKT_NO_GRADIENTS',
        `tfjs gradients are not registered and @pikt/trainer's bundled registration module could not be loaded (${String(cause)}).`,
        'Build @pikt/trainer (pnpm --filter @pikt/trainer build, which runs scripts/bundle-gradients.mjs), or import "@tensorflow/tfjs-core/dist/register_all_gradients" in your bundled entry.',
        { cause });
    }
  })();
  await loading;
  if (!gradientsRegistered()) {
    const missing = PROBE_KERNELS.filter((k) => tf.getGradient(k) === undefined);
    throw new PiktError('PIKT_NO_GRADIENTS', `tfjs gradients are still missing for ${missing.join(', ')} after registration.`,
      'Check that a single @tensorflow/tfjs-core version (4.22.0) is installed.');
  }
}
