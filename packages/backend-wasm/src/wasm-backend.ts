import { ensureGradients, type ActiveBackend, type BackendAdapterV1, type BackendFeatures, type ProbeResult } from '@pikt/core';

export interface WasmBackendOptions {
  priority?: number;
  /** Directory or URL prefix of the .wasm files (browsers with a bundler that does not copy them). */
  wasmPaths?: string;
  /**
   * Allow the threaded build. Defaults to false: Node cannot run it, and a minified bundle served
   * cross-origin-isolated can hang in it (see TOOLCHAIN.md).
   */
  threads?: boolean;
}

/**
 * tfjs WebAssembly backend (XNNPACK kernels, SIMD where the runtime has it). pikt's default: 25-28
 * GFLOP/s on a 1024^2 matmul on our 2-core machines against 0.5 for the cpu backend.
 */
export function createWasmBackend(options: WasmBackendOptions = {}): BackendAdapterV1 {
  let features: BackendFeatures | undefined;
  let registered: Promise<void> | undefined;
  return {
    specificationVersion: 'v1',
    id: 'wasm',
    priority: options.priority ?? 10,
    async probe(): Promise<ProbeResult> {
      if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
        return { supported: false, reason: 'this runtime has no WebAssembly' };
      }
      return { supported: true, features: features ?? { floatPrecision: 32, device: 'WebAssembly' } };
    },
    async activate(): Promise<ActiveBackend> {
      const tf = await import('@tensorflow/tfjs-core');
      registered ??= (async () => {
        const wasm = await import('@tensorflow/tfjs-backend-wasm'); // registers 'wasm'
        if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths);
        if (!options.threads) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      })().catch((err) => { registered = undefined; throw err; });
      await registered;
      if (tf.getBackend() !== 'wasm') {
        const ok = await tf.setBackend('wasm');
        if (!ok) throw new Error('tf.setBackend("wasm") returned false: the .wasm binary could not be loaded (set wasmPaths).');
      }
      await tf.ready();
      await ensureGradients(); // an activated pikt backend can differentiate (tf.grad) in plain Node too
      if (!features) {
        const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
        const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
        features = { floatPrecision: 32, simd, threads, device: `WebAssembly${simd ? ' SIMD' : ''}${threads ? ' threaded' : ''}` };
      }
      return { id: 'wasm', tfBackendName: 'wasm', features };
    },
  };
}
