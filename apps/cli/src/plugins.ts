import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { PiktError } from '@pikt/core';
import type { Registry } from '@pikt/core';

/** The registries a plugin can add to; values are factories taking JSON options. */
export interface PluginTargets {
  models: Registry<unknown>;
  regularizers: Registry<unknown>;
  datasets: Registry<unknown>;
}

/**
 * What a plugin module exports (any of):
 *   export const regularizers = [myFactory]            // items with an `id` (defineRegularizer's factories)
 *   export const models = { 'my-mlp': (options) => ... } // or a record id -> factory
 *   export const datasets = [...]
 *   export function register({ models, regularizers, datasets }) { ... }   // full control
 */
export interface PluginModule {
  models?: unknown;
  regularizers?: unknown;
  datasets?: unknown;
  register?: (targets: PluginTargets) => void | Promise<void>;
}

function addAll(registry: Registry<unknown>, items: unknown, file: string, kind: string): string[] {
  const added: string[] = [];
  const entries: Array<[string, unknown]> = Array.isArray(items)
    ? items.map((item, i) => {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || id.length === 0) {
        throw new PiktError('PIKT_BAD_PLUGIN', `${file}: ${kind}[${i}] has no string "id".`,
          `Export ${kind} as an array of factories with an id (defineRegularizer gives one) or as a record { id: factory }.`);
      }
      return [id, item];
    })
    : Object.entries(items as Record<string, unknown>);
  for (const [id, item] of entries) {
    // Registries hold factories (options) => plugin; anything else would be listed, then fail on first use.
    if (typeof item !== 'function') {
      throw new PiktError('PIKT_BAD_PLUGIN', `${file}: ${kind} "${id}" is ${item === null ? 'null' : Array.isArray(item) ? 'an array' : `a ${typeof item}`}, not a factory function.`,
        `Export each of ${kind} as a factory (options) => plugin, e.g. the function defineRegularizer returns.`);
    }
    registry.register(id, item);
    added.push(id);
  }
  return added;
}

/**
 * Load the user's plugin modules (paths relative to `cwd`) into the registries. Errors name the
 * file: a missing file, a module that fails to import, or exports of the wrong shape.
 */
export async function loadPlugins(paths: readonly string[], cwd: string, targets: PluginTargets): Promise<Record<string, string[]>> {
  const loaded: Record<string, string[]> = {};
  for (const p of paths) {
    const file = isAbsolute(p) ? p : resolve(cwd, p);
    if (!existsSync(file)) {
      throw new PiktError('PIKT_BAD_PLUGIN', `Plugin file ${file} does not exist.`, 'Pass the path of a JavaScript module (ESM), e.g. --plugin ./my-regularizer.js.');
    }
    let mod: PluginModule;
    try {
      mod = (await import(pathToFileURL(file).href)) as PluginModule;
    } catch (cause) {
      throw new PiktError('PIKT_BAD_PLUGIN', `Plugin ${file} could not be loaded: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}.`,
        'A plugin is an ES module (.js/.mjs) exporting models, regularizers, datasets or register().', { cause });
    }
    const added: string[] = [];
    for (const kind of ['models', 'regularizers', 'datasets'] as const) {
      const items = mod[kind];
      if (items === undefined) continue;
      if (items === null || typeof items !== 'object') {
        throw new PiktError('PIKT_BAD_PLUGIN', `${file}: export "${kind}" is ${items === null ? 'null' : typeof items}.`, `Export ${kind} as an array of factories with an id, or a record { id: factory }.`);
      }
      added.push(...addAll(targets[kind], items, file, kind).map((id) => `${kind.slice(0, -1)} ${id}`));
    }
    if (typeof mod.register === 'function') await mod.register(targets);
    if (added.length === 0 && typeof mod.register !== 'function') {
      throw new PiktError('PIKT_BAD_PLUGIN', `Plugin ${file} exports none of models, regularizers, datasets, register.`,
        'Export at least one of them (see "pikt list --help").');
    }
    loaded[file] = added;
  }
  return loaded;
}
