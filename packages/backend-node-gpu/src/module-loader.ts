/** Loads a module by name; injectable so tests can stand in for packages that are not installed. */
export type ModuleImporter = (name: string) => Promise<unknown>;

export const importByName: ModuleImporter = (name) => import(/* @vite-ignore */ name);

export type LoadResult<T> = { ok: true; module: T } | { ok: false; missing: boolean; reason: string };

/** Node's codes for "no such package" (ESM and CJS resolution). */
const NOT_FOUND = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/**
 * Import `name`, telling a package that is not installed (`missing`) apart from one that is
 * installed but fails to load (a native binary that does not match, a missing shared library).
 */
export async function tryImport<T>(name: string, importer: ModuleImporter = importByName): Promise<LoadResult<T>> {
  try {
    return { ok: true, module: (await importer(name)) as T };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const missing = (code !== undefined && NOT_FOUND.has(code) && message.includes(name)) || /Cannot find (package|module)/.test(message) && message.includes(name);
    return { ok: false, missing, reason: missing ? `${name} is not installed` : `${name} failed to load: ${message}` };
  }
}
