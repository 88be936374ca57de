import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createWasmBackend } from '@pikt/backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import type { BackendId } from '../state.js';

export type BackendReady = { ok: true; id: BackendId; device: string } | { ok: false; id: BackendId; reason: string };

/**
 * Activate a tfjs backend inside the worker. wasm: the .wasm binaries are bundled as asset URLs and
 * handed to setWasmPaths before the backend loads (tfjs's default path resolves against the worker
 * script and 404s under a bundler); SIMD build only, one thread, so no cross-origin isolation is needed.
 * webgl: @tensorflow/tfjs-backend-webgl on the worker's OffscreenCanvas; software GL (SwiftShader in
 * headless Chromium) is accepted through SOFTWARE_WEBGL_ENABLED. webgpu: only where the browser exposes
 * navigator.gpu with an adapter; otherwise the probe's reason is shown on the page.
 */
export async function activateBackend(id: BackendId): Promise<BackendReady> {
  try {
    if (id === 'wasm') {
      // The threaded build is never used (no SharedArrayBuffer without COOP/COEP, and it can hang in
      // minified bundles): the flag is off before the backend initializes, and setWasmPaths wants an
      // entry for every binary, so its key names the SIMD file instead of shipping 400 kB unused.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmSimd });
      const active = await createWasmBackend({ threads: false }).activate();
      return { ok: true, id, device: active.features.device ?? 'WebAssembly' };
    }
    if (id === 'webgpu') {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      if (!gpu) return { ok: false, id, reason: 'this browser exposes no WebGPU in workers (navigator.gpu is undefined)' };
      if (!(await gpu.requestAdapter())) return { ok: false, id, reason: 'navigator.gpu.requestAdapter() found no GPU adapter' };
      await import('@tensorflow/tfjs-backend-webgpu');
      if (!(await tf.setBackend('webgpu'))) return { ok: false, id, reason: 'tf.setBackend("webgpu") returned false' };
      await tf.ready();
      return { ok: true, id, device: 'WebGPU' };
    }
    if (typeof OffscreenCanvas === 'undefined') return { ok: false, id, reason: 'this browser has no OffscreenCanvas in workers' };
    await import('@tensorflow/tfjs-backend-webgl');
    tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
    const ok = await tf.setBackend('webgl');
    if (!ok) return { ok: false, id, reason: 'tf.setBackend("webgl") returned false: no WebGL context in this worker' };
    await tf.ready();
    const version = tf.env().getNumber('WEBGL_VERSION');
    return { ok: true, id, device: `WebGL ${version} (OffscreenCanvas)` };
  } catch (err) {
    return { ok: false, id, reason: (err as Error).message };
  }
}
