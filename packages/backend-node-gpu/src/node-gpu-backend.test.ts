// Detection logic of the node-gpu adapter with stand-in modules: no GPU needed, runs in the node project.
import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterKind, dawnAttempts, describeAdapter, findDawnAdapter, isNullAdapter, type AdapterLike, type WebGpuModule } from './dawn-adapter.js';
import { tryImport } from './module-loader.js';
import { installNavigatorGpu } from './navigator-gpu.js';
import { createNodeGpuBackend } from './node-gpu-backend.js';

const notFound = (name: string) => Object.assign(new Error(`Cannot find package '${name}' imported from /x.js`), { code: 'ERR_MODULE_NOT_FOUND' });
/** An importer where only the named modules exist. */
const importer = (mods: Record<string, () => unknown>) => async (name: string) => {
  if (name in mods) return mods[name]();
  throw notFound(name);
};
const info = (device: string, description = '', vendor = '', architecture = '') => ({ vendor, architecture, device, description });
/** A stand-in for the `webgpu` module whose instances answer with the given adapters per backend flag. */
function fakeWebgpu(byFlag: Record<string, AdapterLike | null>, seen: Array<{ flags: string[]; options?: unknown; env?: string }> = []): WebGpuModule {
  return {
    globals: {},
    create: (flags) => ({
      requestAdapter: async (options) => {
        seen.push({ flags, options, env: process.env.VK_DRIVER_FILES });
        return byFlag[flags.join()] ?? null;
      },
    }),
  };
}

afterEach(() => { delete process.env.VK_DRIVER_FILES; });

describe('node-gpu detection', () => {
  it('without the webgpu package: a probe reason naming the package and the install command, and activate throws it', async () => {
    const adapter = createNodeGpuBackend({ importModule: importer({}) });
    const probe = await adapter.probe();
    expect(probe).toEqual({ supported: false, reason: 'the npm package "webgpu" (Dawn for Node) is not installed: pnpm add webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0' });
    await expect(adapter.activate()).rejects.toThrow('The node-gpu backend cannot run here: the npm package "webgpu" (Dawn for Node) is not installed');
  });

  it('prefers @tensorflow/tfjs-node-gpu when it loads and registers its "tensorflow" backend', async () => {
    const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu');
    await createCpuBackend().activate();
    const fakeNodeGpu = () => { tf.registerBackend('tensorflow', () => new MathBackendCPU()); return {}; };
    const adapter = createNodeGpuBackend({ importModule: importer({ '@tensorflow/tfjs-node-gpu': fakeNodeGpu, webgpu: () => { throw new Error('must not be loaded'); } }) });
    const probe = await adapter.probe();
    expect(probe).toEqual({ supported: true, features: { floatPrecision: 32, engine: 'tfjs-node-gpu', device: 'CUDA via @tensorflow/tfjs-node-gpu', software: false } });
    const active = await adapter.activate();
    expect(active.tfBackendName).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    await createCpuBackend().activate();
    tf.removeBackend('tensorflow');
  });

  it('tfjs-node-gpu installed but failing to load is reported beside the webgpu reason; engine "tfjs-node-gpu" alone says how to get it', async () => {
    const broken = () => { throw new Error('libtensorflow.so.2: cannot open shared object file'); };
    const r = await createNodeGpuBackend({ importModule: importer({ '@tensorflow/tfjs-node-gpu': broken }) }).probe();
    expect(r.supported).toBe(false);
    expect(!r.supported && r.reason).toBe('the npm package "webgpu" (Dawn for Node) is not installed: pnpm add webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0; '
      + '@tensorflow/tfjs-node-gpu failed to load: libtensorflow.so.2: cannot open shared object file');
    const only = await createNodeGpuBackend({ engine: 'tfjs-node-gpu', importModule: importer({}) }).probe();
    expect(!only.supported && only.reason).toBe('@tensorflow/tfjs-node-gpu is not installed (it downloads libtensorflow at install: npm install @tensorflow/tfjs-node-gpu on a machine with internet and CUDA 11.2)');
  });

  it('no adapter: the reason lists every attempt and never accepts Dawn\'s null backend', async () => {
    const webgpu = fakeWebgpu({ 'backend=vulkan': null, 'backend=opengles': { info: info('null-backend') } });
    const r = await createNodeGpuBackend({ swiftshaderIcd: '/nonexistent/icd.json', importModule: importer({ webgpu: () => webgpu }) }).probe();
    expect(!r.supported && r.reason).toMatch(/^no usable WebGPU adapter \(tried vulkan: no adapter; opengles: Dawn's null backend \(refused\)\)/);
    expect(!r.supported && r.reason).toContain('install a GPU driver with Vulkan, or for a CPU adapter Debian\'s chromium (SwiftShader\'s Vulkan ICD) or Mesa\'s EGL (libegl1)');
  });

  it('tries system Vulkan, then SwiftShader\'s ICD, then OpenGL ES with featureLevel compatibility; software is refused when not allowed', async () => {
    const seen: Array<{ flags: string[]; options?: unknown; env?: string }> = [];
    const swift = { info: info('swiftshader-device', 'SwiftShader driver 5.0.0', 'google', 'swiftshader'), isFallbackAdapter: true };
    const llvmpipe = { info: info('llvmpipe-llvm-15', 'OpenGL ES 3.2 Mesa') };
    const webgpu = fakeWebgpu({ 'backend=vulkan': null, 'backend=opengles': llvmpipe }, seen);
    const attempts = dawnAttempts({ allowSoftware: true, swiftshaderIcd: import.meta.filename, env: {} });
    expect(attempts.map((a) => a.label)).toEqual(['vulkan', 'vulkan (SwiftShader ICD)', 'opengles']);
    const found = await findDawnAdapter(webgpu, attempts);
    expect('report' in found && found.report).toEqual({ vendor: '', architecture: '', device: 'llvmpipe-llvm-15', description: 'OpenGL ES 3.2 Mesa', via: 'opengles', kind: 'software' });
    expect(seen.map((s) => [s.flags[0], s.options, s.env])).toEqual([
      ['backend=vulkan', undefined, undefined], ['backend=vulkan', undefined, import.meta.filename], ['backend=opengles', { featureLevel: 'compatibility' }, undefined]]);
    expect(process.env.VK_DRIVER_FILES).toBeUndefined(); // the failed SwiftShader attempt put the environment back
    // A user's own VK_DRIVER_FILES wins: no SwiftShader attempt then.
    expect(dawnAttempts({ allowSoftware: true, swiftshaderIcd: import.meta.filename, env: { VK_DRIVER_FILES: '/x.json' } }).map((a) => a.label)).toEqual(['vulkan', 'opengles']);
    const hardwareOnly = await findDawnAdapter(fakeWebgpu({ 'backend=vulkan': swift }), [attempts[0]], (r) => (r.kind === 'software' ? 'software adapter not allowed' : undefined));
    expect(hardwareOnly).toEqual({ tried: ['vulkan: SwiftShader driver 5.0.0 (google swiftshader) via vulkan refused (software adapter not allowed)'] });
  });

  it('classifies adapters as software or hardware', () => {
    expect(adapterKind(info('NVIDIA H200', 'NVIDIA: 550.54', 'nvidia', 'hopper'), false)).toBe('hardware');
    expect(adapterKind(info('swiftshader-device-subzero-', 'SwiftShader driver 5.0.0', 'google', 'swiftshader'), false)).toBe('software');
    expect(adapterKind(info('llvmpipe (LLVM 15.0.6, 256 bits)'), false)).toBe('software');
    expect(adapterKind(info('Some GPU'), true)).toBe('software');
    expect(isNullAdapter(info('null-backend'))).toBe(true);
    expect(describeAdapter({ ...info('d', 'NVIDIA H200', 'nvidia', 'hopper'), via: 'vulkan', kind: 'hardware' })).toBe('NVIDIA H200 (nvidia hopper) via vulkan');
  });

  it('installs navigator.gpu forwarding the probed request options, and removes it (and what it added) on uninstall', async () => {
    const seen: Array<{ flags: string[]; options?: unknown }> = [];
    const adapter = { info: info('llvmpipe') };
    const webgpu = { ...fakeWebgpu({ 'backend=opengles': adapter }, seen), globals: { PiktTestConstant: 7 } };
    const g = globalThis as unknown as { navigator?: { gpu?: { requestAdapter(o?: object): Promise<unknown> } }; PiktTestConstant?: number };
    const hadNavigator = g.navigator !== undefined;
    const found = { gpu: webgpu.create(['backend=opengles']), adapter, attempt: { label: 'opengles', flags: ['backend=opengles'], request: { featureLevel: 'compatibility' } }, report: { ...info('llvmpipe'), via: 'opengles', kind: 'software' as const } };
    const installed = installNavigatorGpu(webgpu, found);
    expect(g.PiktTestConstant).toBe(7);
    expect(await g.navigator!.gpu!.requestAdapter({ powerPreference: 'high-performance' })).toBe(adapter);
    expect(seen[0].options).toEqual({ powerPreference: 'high-performance', featureLevel: 'compatibility' });
    installed.uninstall();
    expect(g.navigator?.gpu).toBeUndefined();
    expect(g.navigator !== undefined).toBe(hadNavigator);
    expect('PiktTestConstant' in globalThis).toBe(false);
  });

  it('tells a missing package from one that fails to load', async () => {
    expect(await tryImport('left-pad-not-here', importer({}))).toEqual({ ok: false, missing: true, reason: 'left-pad-not-here is not installed' });
    const real = await tryImport('definitely-not-installed-pkg-pikt');
    expect(real).toEqual({ ok: false, missing: true, reason: 'definitely-not-installed-pkg-pikt is not installed' });
  });
});
