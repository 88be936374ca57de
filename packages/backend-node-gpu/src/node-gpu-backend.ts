import { PiktError, type ActiveBackend, type BackendAdapterV1, type BackendFeatures, type ProbeResult } from '@pikt/core';
import {
  dawnAttempts, describeAdapter, findDawnAdapter, hasVulkanLoader, type AdapterReport, type FoundAdapter, type WebGpuModule,
} from './dawn-adapter.js';
import { tryImport, type ModuleImporter } from './module-loader.js';
import { installNavigatorGpu, type InstalledGpu } from './navigator-gpu.js';
import { detectTfjsNodeGpu, TFJS_NODE_BACKEND, TFJS_NODE_GPU } from './tfjs-node-gpu.js';

export interface NodeGpuBackendOptions {
  priority?: number;
  /** "auto" (default): tfjs-node-gpu when it loads, else WebGPU on Dawn. */
  engine?: 'auto' | 'webgpu' | 'tfjs-node-gpu';
  /** Accept software adapters (SwiftShader, llvmpipe). Default true; `pikt --backend auto` passes false. */
  allowSoftware?: boolean;
  /** Refuse anything but a hardware adapter (gpu-check on a lent GPU). */
  requireHardware?: boolean;
  /** Path of SwiftShader's Vulkan ICD (default: Debian chromium's). */
  swiftshaderIcd?: string;
  /** Stand-in for `import(name)`, for tests of the package detection. */
  importModule?: ModuleImporter;
}

/** The node-gpu adapter plus `dispose()`, which releases the GPU so the process can exit. */
export interface NodeGpuBackendAdapter extends BackendAdapterV1 {
  dispose(): Promise<void>;
}

export const WEBGPU_PACKAGE = 'webgpu';
export const WEBGPU_VERSION = '0.6.2';

type Engine =
  | { kind: 'tfjs-node-gpu'; features: BackendFeatures }
  | { kind: 'webgpu'; webgpu: WebGpuModule; found: FoundAdapter; features: BackendFeatures };

function webgpuFeatures(report: AdapterReport): BackendFeatures {
  return { floatPrecision: 32, device: describeAdapter(report), engine: 'webgpu', adapter: report, software: report.kind === 'software' };
}

/**
 * GPU compute from Node. Prefers @tensorflow/tfjs-node-gpu (CUDA) when installed and loadable;
 * otherwise tfjs-backend-webgpu on Dawn (npm `webgpu`, an optional peer). The probe finds an
 * adapter (Vulkan, then OpenGL ES; never Dawn's null backend) and says why when there is none;
 * activation installs `navigator.gpu` before importing tfjs-backend-webgpu (the module registers
 * only if it sees one) and checks what `setBackend` returns.
 */
export function createNodeGpuBackend(options: NodeGpuBackendOptions = {}): NodeGpuBackendAdapter {
  const engineChoice = options.engine ?? 'auto';
  const allowSoftware = options.requireHardware ? false : options.allowSoftware ?? true;
  let probed: Promise<{ engine: Engine } | { reason: string }> | undefined;
  let installed: InstalledGpu | undefined;
  let active: ActiveBackend | undefined;

  async function findEngine(): Promise<{ engine: Engine } | { reason: string }> {
    let nodeGpuReason = '';
    if (engineChoice !== 'webgpu') {
      const status = await detectTfjsNodeGpu(options.importModule);
      if (status.available) {
        return { engine: { kind: 'tfjs-node-gpu', features: { floatPrecision: 32, engine: 'tfjs-node-gpu', device: `CUDA via ${TFJS_NODE_GPU}`, software: false } } };
      }
      if (engineChoice === 'tfjs-node-gpu') return { reason: `${status.reason} (it downloads libtensorflow at install: npm install ${TFJS_NODE_GPU} on a machine with internet and CUDA 11.2)` };
      if (!status.missing) nodeGpuReason = `; ${status.reason}`;
    }
    const loaded = await tryImport<WebGpuModule>(WEBGPU_PACKAGE, options.importModule);
    if (!loaded.ok) {
      return { reason: loaded.missing
        ? `the npm package "${WEBGPU_PACKAGE}" (Dawn for Node) is not installed: pnpm add ${WEBGPU_PACKAGE}@${WEBGPU_VERSION} @tensorflow/tfjs-backend-webgpu@4.22.0${nodeGpuReason}`
        : `${loaded.reason}${nodeGpuReason}` };
    }
    const attempts = dawnAttempts({ allowSoftware, swiftshaderIcd: options.swiftshaderIcd });
    const found = await findDawnAdapter(loaded.module, attempts, (r) => (r.kind === 'software' && !allowSoftware ? 'software adapter not allowed' : undefined));
    if ('tried' in found) {
      const loader = hasVulkanLoader() ? '' : '; the Vulkan loader libvulkan.so.1 is missing: apt-get install libvulkan1';
      return { reason: `no usable WebGPU adapter (tried ${found.tried.join('; ')})${loader}: install a GPU driver with Vulkan, `
        + `or for a CPU adapter Debian's chromium (SwiftShader's Vulkan ICD) or Mesa's EGL (libegl1)${nodeGpuReason}` };
    }
    return { engine: { kind: 'webgpu', webgpu: loaded.module, found, features: webgpuFeatures(found.report) } };
  }

  const probeOnce = () => (probed ??= findEngine());

  async function activateWebGpu(engine: Extract<Engine, { kind: 'webgpu' }>): Promise<void> {
    const tf = await import('@tensorflow/tfjs-core');
    installed ??= installNavigatorGpu(engine.webgpu, engine.found);
    const mod = (await import('@tensorflow/tfjs-backend-webgpu')) as { WebGPUBackend?: new (device: unknown, info?: unknown) => object };
    if (!tf.findBackendFactory('webgpu')) {
      // The module was imported earlier without navigator.gpu (or the backend was removed by
      // dispose): its kernels are registered, only the factory is missing. Register it the same way.
      const WebGPUBackend = mod.WebGPUBackend;
      if (!WebGPUBackend) throw new Error('@tensorflow/tfjs-backend-webgpu exports no WebGPUBackend');
      tf.registerBackend('webgpu', async () => {
        const adapter = await (globalThis as unknown as { navigator: { gpu: { requestAdapter(): Promise<{ info: unknown; requestDevice(d: object): Promise<unknown> }> } } }).navigator.gpu.requestAdapter();
        return new WebGPUBackend(await adapter.requestDevice({}), adapter.info) as never;
      }, 3);
    }
    const ok = await tf.setBackend('webgpu');
    // tfjs resolves false when the backend factory threw (device lost, adapter gone), yet
    // getBackend() may still name webgpu: the return value is the only honest signal.
    if (!ok) throw new PiktError('PIKT_NO_BACKEND', `tf.setBackend("webgpu") returned false on ${engine.features.device}.`, 'Run with DEBUG=1 to see Dawn\'s messages, or use --backend wasm.');
    await tf.ready();
  }

  return {
    specificationVersion: 'v1',
    id: 'node-gpu',
    priority: options.priority ?? 20,
    async probe(): Promise<ProbeResult> {
      const r = await probeOnce();
      return 'reason' in r ? { supported: false, reason: r.reason } : { supported: true, features: r.engine.features };
    },
    async activate(): Promise<ActiveBackend> {
      const tf = await import('@tensorflow/tfjs-core');
      const r = await probeOnce();
      if ('reason' in r) throw new PiktError('PIKT_NO_BACKEND', `The node-gpu backend cannot run here: ${r.reason}.`, 'Use --backend wasm, or install what is named above.');
      const name = r.engine.kind === 'webgpu' ? 'webgpu' : TFJS_NODE_BACKEND;
      if (active && tf.getBackend() === name) return active;
      if (r.engine.kind === 'webgpu') await activateWebGpu(r.engine);
      else if (!(await tf.setBackend(TFJS_NODE_BACKEND))) throw new PiktError('PIKT_NO_BACKEND', `tf.setBackend("${TFJS_NODE_BACKEND}") returned false (${TFJS_NODE_GPU}).`, 'Check that libtensorflow and CUDA load, or use --backend wasm.');
      active = { id: 'node-gpu', tfBackendName: name, features: r.engine.features };
      return active;
    },
    async dispose(): Promise<void> {
      const tf = await import('@tensorflow/tfjs-core');
      if (active?.tfBackendName === 'webgpu' && tf.findBackend('webgpu')) {
        const device = (tf.findBackend('webgpu') as unknown as { device?: { destroy(): void } }).device;
        tf.removeBackend('webgpu');
        device?.destroy();
      }
      installed?.uninstall();
      installed = undefined;
      const r = await probed;
      if (r && 'engine' in r && r.engine.kind === 'webgpu') r.engine.found.restoreEnv?.();
      active = undefined;
      probed = undefined; // the Dawn instance is gone with navigator.gpu: probe afresh next time
    },
  };
}
