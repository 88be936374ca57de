import { PiktError, selectBackend } from '@pikt/core';
import type { ActiveBackend, BackendAdapterV1, ProbeResult } from '@pikt/core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createWasmBackend } from '@pikt/backend-wasm';
import { createWebglBackend } from '@pikt/backend-webgl';

export const BACKEND_CHOICES = ['wasm', 'cpu', 'node-gpu', 'webgl', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Options of the node-gpu adapter the CLI passes through (a subset of NodeGpuBackendOptions). */
export interface CliNodeGpuOptions {
  allowSoftware?: boolean;
  requireHardware?: boolean;
  /** Stand-in for `import(name)` inside the adapter (tests of a missing package or adapter). */
  importModule?: (name: string) => Promise<unknown>;
}

export interface BackendLookupOptions {
  nodeGpu?: CliNodeGpuOptions;
  /** Stand-in for importing `@pikt/backend-node-gpu` itself. */
  importAdapterPackage?: (name: string) => Promise<unknown>;
}

const NODE_GPU_PACKAGE = '@pikt/backend-node-gpu';

/**
 * The node-gpu adapter (`@pikt/backend-node-gpu`: tfjs-backend-webgpu on Dawn, or tfjs-node-gpu),
 * looked up at run time: the CLI installs and runs without it, and its own heavy part (the npm
 * `webgpu` package with Dawn) is an optional peer that its probe reports when missing.
 */
async function nodeGpuAdapter(options: BackendLookupOptions): Promise<BackendAdapterV1> {
  const load = options.importAdapterPackage ?? ((name: string) => import(/* @vite-ignore */ name));
  try {
    const mod = (await load(NODE_GPU_PACKAGE)) as { createNodeGpuBackend?: (o?: CliNodeGpuOptions) => BackendAdapterV1 };
    if (typeof mod.createNodeGpuBackend === 'function') return mod.createNodeGpuBackend(options.nodeGpu);
    throw new Error(`${NODE_GPU_PACKAGE} has no createNodeGpuBackend export`);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    const reason = notFound ? `${NODE_GPU_PACKAGE} is not installed: pnpm add ${NODE_GPU_PACKAGE} webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0`
      : `${NODE_GPU_PACKAGE}: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`;
    return {
      specificationVersion: 'v1', id: 'node-gpu', priority: 20,
      probe: async () => ({ supported: false, reason }),
      activate: async () => { throw new PiktError('PIKT_NO_BACKEND', `--backend node-gpu cannot run here: ${reason}.`, 'Or use --backend wasm.'); },
    };
  }
}

/** Every adapter the CLI knows, most preferred first (node-gpu, webgl, wasm, cpu). */
export async function knownBackends(options: BackendLookupOptions = {}): Promise<BackendAdapterV1[]> {
  return [await nodeGpuAdapter(options), createWebglBackend(), createWasmBackend(), createCpuBackend()];
}

/** Each known backend with its probe result (what `pikt list` and `pikt bench` show). */
export async function probeBackends(options: BackendLookupOptions = {}): Promise<Array<{ adapter: BackendAdapterV1; probe: ProbeResult }>> {
  const out: Array<{ adapter: BackendAdapterV1; probe: ProbeResult }> = [];
  for (const adapter of await knownBackends(options)) {
    let probe: ProbeResult;
    try { probe = await adapter.probe(); } catch (err) { probe = { supported: false, reason: err instanceof Error ? err.message : String(err) }; }
    out.push({ adapter, probe });
  }
  return out;
}

/** Adapters `activateBackend` activated in this process, released by `releaseBackends()`. */
const activated = new Set<BackendAdapterV1>();

/**
 * Release what adapters hold (node-gpu's Dawn instance and navigator.gpu: while they live the
 * process does not exit). Default: every adapter `activateBackend` activated.
 */
export async function releaseBackends(adapters: readonly BackendAdapterV1[] = [...activated]): Promise<void> {
  for (const a of adapters) {
    await (a as { dispose?: () => Promise<void> }).dispose?.();
    activated.delete(a);
  }
}

async function activateTracked(adapter: BackendAdapterV1): Promise<ActiveBackend> {
  activated.add(adapter);
  return adapter.activate();
}

/**
 * Activate the backend a user asked for. `auto` takes the first that works of node-gpu, webgl,
 * wasm, cpu, passing over software GPU adapters (SwiftShader, llvmpipe: slower than wasm). A named
 * backend that cannot run is a one-line PiktError naming what is missing and how to get it, never
 * a silent fallback, so numbers always say which backend made them.
 */
export async function activateBackend(choice: BackendChoice, options: BackendLookupOptions = {}): Promise<ActiveBackend> {
  if (choice === 'auto') {
    const all = await knownBackends({ ...options, nodeGpu: { allowSoftware: false, ...options.nodeGpu } });
    all[1] = createWebglBackend({ allowSoftware: false });
    const active = await selectBackend(all, { byPriority: true });
    const chosen = all.find((a) => a.id === active.id);
    if (chosen) activated.add(chosen);
    return active;
  }
  const adapter = (await knownBackends(options)).find((a) => a.id === choice);
  if (!adapter) throw new PiktError('PIKT_NO_BACKEND', `Unknown backend "${choice}".`, `Use one of ${BACKEND_CHOICES.join(', ')}.`);
  const probe = await adapter.probe();
  if (!probe.supported) {
    throw new PiktError('PIKT_NO_BACKEND', `--backend ${choice} cannot run here: ${probe.reason}.`, choice === 'wasm' ? 'Use --backend cpu.' : 'Or use --backend wasm.');
  }
  return activateTracked(adapter);
}
