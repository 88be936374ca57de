import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { COMMANDS } from './commands/index.js';
import { BACKEND_CHOICES, activateBackend, knownBackends, releaseBackends } from './backends.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, COMMANDS, { isTTY: false, stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } } });
  return { code, out, err };
}

const notFound = (name: string) => Object.assign(new Error(`Cannot find package '${name}' imported from /x.js`), { code: 'ERR_MODULE_NOT_FOUND' });
const onlyModules = (mods: Record<string, unknown>) => async (name: string) => {
  if (name in mods) return mods[name];
  throw notFound(name);
};
/** A `webgpu` stand-in whose every instance answers requestAdapter with `adapter`. */
const fakeWebgpu = (adapter: unknown) => ({ globals: {}, create: () => ({ requestAdapter: async () => adapter }) });
const swiftshader = { info: { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device', description: 'SwiftShader driver 5.0.0' }, isFallbackAdapter: true };

afterAll(async () => { await releaseBackends(); });

describe('CLI backends', () => {
  it('offers webgl, node-gpu and auto wherever --backend exists', () => {
    expect([...BACKEND_CHOICES].sort()).toEqual(['auto', 'cpu', 'node-gpu', 'wasm', 'webgl']);
    for (const name of ['distill', 'bench', 'reproduce', 'train-teacher']) {
      const flag = COMMANDS.find((c) => c.name === name)?.flags.backend as { choices?: readonly string[] } | undefined;
      expect(flag?.choices, name).toEqual(expect.arrayContaining(['webgl', 'node-gpu', 'auto']));
    }
  });

  it('--backend webgl in Node: one line naming what is missing, exit 1', async () => {
    const r = await cli(['bench', '--backend', 'webgl', '--n', '8', '--d', '4', '--m', '8', '--repeats', '1']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('pikt bench: --backend webgl cannot run here: no WebGL in Node: use wasm or node-gpu. Or use --backend wasm.\n');
  });

  it('--backend node-gpu without the webgpu package, or without @pikt/backend-node-gpu: says which and how to install it', async () => {
    await expect(activateBackend('node-gpu', { nodeGpu: { importModule: onlyModules({}) } })).rejects.toThrow(
      '--backend node-gpu cannot run here: the npm package "webgpu" (Dawn for Node) is not installed: pnpm add webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0. Or use --backend wasm.');
    await expect(activateBackend('node-gpu', { importAdapterPackage: onlyModules({}) })).rejects.toThrow(
      '--backend node-gpu cannot run here: @pikt/backend-node-gpu is not installed: pnpm add @pikt/backend-node-gpu webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0. Or use --backend wasm.');
  });

  it('--backend node-gpu without an adapter: names the attempts and what to install', async () => {
    const err = await activateBackend('node-gpu', { nodeGpu: { importModule: onlyModules({ webgpu: fakeWebgpu(null) }) } }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^--backend node-gpu cannot run here: no usable WebGPU adapter \(tried vulkan: no adapter; (vulkan \(SwiftShader ICD\): no adapter; )?opengles: no adapter\)/);
    expect(message).toContain(': install a GPU driver with Vulkan, or for a CPU adapter Debian\'s chromium (SwiftShader\'s Vulkan ICD) or Mesa\'s EGL (libegl1). Or use --backend wasm.');
  });

  it('auto passes over a software GPU adapter (slower than wasm) and takes wasm', async () => {
    const active = await activateBackend('auto', { nodeGpu: { importModule: onlyModules({ webgpu: fakeWebgpu(swiftshader) }) } });
    expect(active.id).toBe('wasm');
  });

  it('pikt list shows every backend with its probe result', async () => {
    const ids = (await knownBackends()).map((a) => a.id);
    expect(ids).toEqual(['node-gpu', 'webgl', 'wasm', 'cpu']);
    const r = await cli(['list', '--json']);
    expect(r.code).toBe(0);
    const backends = JSON.parse(r.out).backends as Array<{ id: string; supported: boolean; reason?: string; device?: string }>;
    expect(backends.map((b) => b.id)).toEqual(ids);
    expect(backends[1]).toEqual({ id: 'webgl', supported: false, reason: 'no WebGL in Node: use wasm or node-gpu' });
    expect(backends[2]).toMatchObject({ id: 'wasm', supported: true });
    // node-gpu: available with its adapter here (libvulkan1 + chromium's SwiftShader), or a reason.
    expect(backends[0].supported ? backends[0].device : backends[0].reason).toMatch(/\S/);
    const text = await cli(['list']);
    expect(text.out).toContain('  webgl     not available: no WebGL in Node: use wasm or node-gpu\n');
    expect(text.out).toMatch(/\n {2}node-gpu {2}(available \(.+, (software|hardware)\)|not available: .+)\n/);
  });

  it('pikt bench --backend all times every backend that runs here (a software GPU adapter at a small size) and names the others with the reason', async () => {
    const r = await cli(['bench', '--n', '200', '--d', '40', '--m', '16', '--repeats', '1', '--matmul', '16', '--json']);
    expect(r.code).toBe(0);
    type Row = { id: string; device: string; software: boolean; size: { n: number; d: number; m: number; matmul: number }; matmul: { gflops: number }; gdStepMs: { median: number }; gramMs: { median: number } };
    const o = JSON.parse(r.out) as { backends: Row[]; skipped: Array<{ id: string; reason: string }> };
    expect([...o.backends.map((b) => b.id), ...o.skipped.map((b) => b.id)].sort()).toEqual(['cpu', 'node-gpu', 'wasm', 'webgl']);
    expect(o.backends.map((b) => b.id)).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    for (const b of o.backends) {
      expect(b.matmul.gflops, b.id).toBeGreaterThan(0);
      expect(b.gdStepMs.median, b.id).toBeGreaterThan(0);
      expect(b.gramMs.median, b.id).toBeGreaterThan(0);
    }
    expect(o.backends.find((b) => b.id === 'wasm')?.size).toEqual({ n: 200, d: 40, m: 16, matmul: 16, repeats: 1 });
    expect(o.skipped.find((b) => b.id === 'webgl')?.reason).toBe('no WebGL in Node: use wasm or node-gpu');
    // node-gpu here is SwiftShader (software): timed, at n <= 128 and d <= 32; without an adapter it is named with the reason.
    const gpu = o.backends.find((b) => b.id === 'node-gpu');
    if (gpu) expect(gpu.size).toEqual(gpu.software ? { n: 128, d: 32, m: 16, matmul: 16, repeats: 1 } : { n: 200, d: 40, m: 16, matmul: 16, repeats: 1 });
    else expect(o.skipped.find((b) => b.id === 'node-gpu')?.reason).toMatch(/\S/);
    if (process.env.CI === 'true') expect(gpu, 'CI installs libvulkan1 and chromium: node-gpu must be timed').toBeDefined();
  });
});
