import { tryImport, type ModuleImporter } from './module-loader.js';

export const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';

/** tfjs-node(-gpu) registers its kernels under this backend name. */
export const TFJS_NODE_BACKEND = 'tensorflow';

export type TfjsNodeGpuStatus = { available: true } | { available: false; missing: boolean; reason: string };

/**
 * Detects @tensorflow/tfjs-node-gpu at run time (libtensorflow with CUDA). It cannot be a declared
 * dependency: its install step downloads libtensorflow, which fails on machines without internet.
 * Available means it imported and registered the "tensorflow" backend with tfjs-core.
 */
export async function detectTfjsNodeGpu(importer?: ModuleImporter): Promise<TfjsNodeGpuStatus> {
  const loaded = await tryImport(TFJS_NODE_GPU, importer);
  if (!loaded.ok) return { available: false, missing: loaded.missing, reason: loaded.reason };
  const tf = await import('@tensorflow/tfjs-core');
  if (!tf.findBackendFactory(TFJS_NODE_BACKEND)) {
    return { available: false, missing: false, reason: `${TFJS_NODE_GPU} loaded but registered no "${TFJS_NODE_BACKEND}" backend (a second copy of @tensorflow/tfjs-core?)` };
  }
  return { available: true };
}
