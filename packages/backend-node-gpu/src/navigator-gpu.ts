import type { FoundAdapter, WebGpuModule } from './dawn-adapter.js';

interface NavigatorHolder { navigator?: { gpu?: unknown } }

/** What `installNavigatorGpu` changed, so `uninstall` puts the global object back as it was. */
export interface InstalledGpu {
  uninstall(): void;
}

/**
 * Puts `navigator.gpu` in place for tfjs-backend-webgpu, which decides at import time whether to
 * register and then calls `navigator.gpu.requestAdapter()` itself with its own options. The object
 * installed forwards that call to the Dawn instance and request options pikt probed, so tfjs gets
 * the same adapter (for example the OpenGL ES one, which needs featureLevel "compatibility").
 * WebGPU's constants (GPUBufferUsage, GPUMapMode, ...) become globals as in a browser.
 */
export function installNavigatorGpu(webgpu: WebGpuModule, found: FoundAdapter): InstalledGpu {
  const g = globalThis as unknown as NavigatorHolder & Record<string, unknown>;
  const addedGlobals: string[] = [];
  for (const [k, v] of Object.entries(webgpu.globals)) {
    if (!(k in g)) { g[k] = v; addedGlobals.push(k); }
  }
  const createdNavigator = g.navigator === undefined;
  if (createdNavigator) g.navigator = {};
  const nav = g.navigator as { gpu?: unknown };
  const gpu = {
    requestAdapter: (options?: Record<string, unknown>) => found.gpu.requestAdapter({ ...options, ...found.attempt.request }),
    getPreferredCanvasFormat: () => 'rgba8unorm',
    wgslLanguageFeatures: new Set<string>(),
  };
  // Node 21+ defines `navigator` with a getter-only prototype; an own property shadows it.
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true, enumerable: true });
  return {
    uninstall() {
      // The globals go back as they were; the Dawn instance itself stays cached (dawn-adapter.ts).
      delete nav.gpu;
      if (createdNavigator) delete g.navigator;
      for (const k of addedGlobals) delete g[k];
    },
  };
}
