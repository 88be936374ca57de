import { DuplicatePluginError, UnknownPluginError } from './errors.js';

/** Anything a registry holds: identified by a string id. */
export interface Identified {
  readonly id: string;
}

/**
 * A typed map from plugin id to plugin (or plugin factory). Apps fill registries; packages never
 * register on import. Looking up an unknown id throws `UnknownPluginError` listing the known ids.
 */
export interface Registry<T> {
  readonly kind: string;
  register(id: string, item: T, options?: { replace?: boolean }): void;
  get(id: string): T;
  has(id: string): boolean;
  ids(): string[];
  entries(): Array<[string, T]>;
}

export function createRegistry<T>(kind: string): Registry<T> {
  const items = new Map<string, T>();
  return {
    kind,
    register(id, item, options) {
      if (typeof id !== 'string' || id.length === 0) {
        throw new TypeError(`A ${kind} id must be a non-empty string, got ${JSON.stringify(id)}.`);
      }
      if (items.has(id) && !options?.replace) throw new DuplicatePluginError(kind, id);
      items.set(id, item);
    },
    get(id) {
      const item = items.get(id);
      if (item === undefined) throw new UnknownPluginError(kind, id, [...items.keys()].sort());
      return item;
    },
    has: (id) => items.has(id),
    ids: () => [...items.keys()].sort(),
    entries: () => [...items.entries()].sort(([a], [b]) => a.localeCompare(b)),
  };
}
