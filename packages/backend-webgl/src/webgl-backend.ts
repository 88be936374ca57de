import { PiktError, type ActiveBackend, type BackendAdapterV1, type BackendFeatures, type ProbeResult } from '@pikt/core';
import { probeWebgl, type WebglCapabilities } from './webgl-probe.js';

export interface WebglBackendOptions {
  priority?: number;
  /**
   * Run on a software renderer (SwiftShader, llvmpipe). tfjs refuses one unless its flag
   * SOFTWARE_WEBGL_ENABLED is set; default true, so headless CI and GPU-less machines work. Set false
   * where a software renderer would be slower than wasm and `auto` should pass over webgl.
   */
  allowSoftware?: boolean;
}

function featuresOf(caps: WebglCapabilities, softwareWebglEnabled: boolean): BackendFeatures {
  return {
    floatPrecision: caps.float32Textures ? 32 : 16,
    device: `WebGL${caps.webglVersion} ${caps.renderer}${caps.software ? ' (software)' : ''}`,
    webglVersion: caps.webglVersion,
    renderer: caps.renderer,
    float32Textures: caps.float32Textures,
    software: caps.software,
    softwareWebglEnabled,
    context: caps.context,
  };
}

/**
 * tfjs WebGL backend (fragment-shader kernels on textures) for browsers: the main thread or a Web
 * Worker, where tfjs draws on an OffscreenCanvas by itself. The probe reports WebGL 2 or 1, the
 * renderer and whether float32 textures render and read back; on a software renderer the adapter
 * sets SOFTWARE_WEBGL_ENABLED (when allowed) and says so in `features.softwareWebglEnabled`.
 */
export function createWebglBackend(options: WebglBackendOptions = {}): BackendAdapterV1 {
  const allowSoftware = options.allowSoftware ?? true;
  let probed: ReturnType<typeof probeWebgl> | undefined;
  let active: ActiveBackend | undefined;
  const probeOnce = () => (probed ??= probeWebgl());

  return {
    specificationVersion: 'v1',
    id: 'webgl',
    priority: options.priority ?? 15,
    async probe(): Promise<ProbeResult> {
      const p = probeOnce();
      if (!p.ok) return { supported: false, reason: p.reason };
      if (p.caps.software && !allowSoftware) {
        return { supported: false, reason: `only a software WebGL renderer (${p.caps.renderer}) is available and allowSoftware is false` };
      }
      return { supported: true, features: featuresOf(p.caps, p.caps.software) };
    },
    async activate(): Promise<ActiveBackend> {
      const tf = await import('@tensorflow/tfjs-core');
      if (active && tf.getBackend() === 'webgl') return active;
      const probe = await this.probe();
      if (!probe.supported) throw new PiktError('PIKT_NO_BACKEND', `The webgl backend cannot run here: ${probe.reason}.`, 'Use --backend wasm (or node-gpu in Node).');
      const caps = (probeOnce() as { caps: WebglCapabilities }).caps;
      await import('@tensorflow/tfjs-backend-webgl'); // registers 'webgl' and its flags
      // tfjs asks for its context with failIfMajorPerformanceCaveat unless this flag is set, and
      // reads it when the backend is created: set it after the import, before setBackend.
      if (caps.software) tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
      if (!caps.float32Textures) tf.env().set('WEBGL_RENDER_FLOAT32_ENABLED', false);
      const ok = await tf.setBackend('webgl');
      if (!ok) throw new PiktError('PIKT_NO_BACKEND', `tf.setBackend("webgl") returned false on ${caps.renderer}.`, 'Use --backend wasm.');
      await tf.ready();
      const softwareWebglEnabled = Boolean(tf.env().getBool('SOFTWARE_WEBGL_ENABLED'));
      active = { id: 'webgl', tfBackendName: 'webgl', features: featuresOf(caps, softwareWebglEnabled) };
      return active;
    },
  };
}
