import { PiktError, selectBackend } from '@pikt/core';
import type { ActiveBackend, BackendAdapterV1 } from '@pikt/core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createWasmBackend } from '@pikt/backend-wasm';

export const BACKEND_CHOICES = ['wasm', 'cpu', 'node-gpu', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/**
 * The node-gpu adapter is an optional package (`@pikt/backend-node-gpu`, tfjs-backend-webgpu on
 * Dawn): looked up at run time so the CLI installs and runs without it.
 */
async function nodeGpuAdapter(): Promise<BackendAdapterV1> {
  const name = '@pikt/backend-node-gpu';
  try {
    const mod = (await import(name)) as { createNodeGpuBackend?: () => BackendAdapterV1 };
    if (typeof mod.createNodeGpuBackend === 'function') return mod.createNodeGpuBackend();
    throw new Error(`${name} has no createNodeGpuBackend export`);
  } catch (cause) {
    const notFound = (cause as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    const reason = notFound ? 'not installed' : cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return {
      specificationVersion: 'v1', id: 'node-gpu', priority: 20,
      probe: async () => ({ supported: false, reason: `${name}: ${reason}` }),
      activate: async () => { throw new PiktError('PIKT_NO_BACKEND', `The node-gpu backend is not available: ${reason}.`, `Install ${name}, or use --backend wasm.`); },
    };
  }
}

/** Every adapter the CLI knows, most preferred first. */
export async function knownBackends(): Promise<BackendAdapterV1[]> {
  return [await nodeGpuAdapter(), createWasmBackend(), createCpuBackend()];
}

/**
 * Activate the backend a user asked for. `auto` takes the first that works of node-gpu, wasm, cpu;
 * a named backend that cannot run is an error listing the reason (never a silent fallback, so
 * numbers always say which backend made them).
 */
export async function activateBackend(choice: BackendChoice): Promise<ActiveBackend> {
  const all = await knownBackends();
  if (choice === 'auto') return selectBackend(all, { byPriority: true });
  const adapter = all.find((a) => a.id === choice);
  if (!adapter) throw new PiktError('PIKT_NO_BACKEND', `Unknown backend "${choice}".`, `Use one of ${BACKEND_CHOICES.join(', ')}.`);
  return selectBackend([adapter]);
}
