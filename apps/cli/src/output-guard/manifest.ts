import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PiktError, writeFileAtomic } from '@pikt/core';
import { errnoOf, withFs, wrapFsError } from './fs-errors.js';
import { acquireLock } from './lock.js';

/** The manifest pikt keeps in every folder it writes into: the files it wrote there. */
export const MANIFEST_NAME = '.pikt-manifest.json';
export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  version: 1;
  /** Paths relative to the folder -> the command that last wrote them. */
  files: Record<string, { command: string; writtenAt: string }>;
}

/** Read `dir`'s manifest; an absent one is empty, a corrupt one is an error naming it. */
export async function readManifest(dir: string): Promise<ManifestFile> {
  const path = join(dir, MANIFEST_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return { version: MANIFEST_VERSION, files: {} };
    throw wrapFsError(err, 'read', path);
  }
  try {
    const m = JSON.parse(text) as ManifestFile;
    if (m?.version === MANIFEST_VERSION && m.files && typeof m.files === 'object' && !Array.isArray(m.files)) return m;
  } catch { /* reported below */ }
  throw new PiktError('PIKT_MANIFEST_CORRUPT', `${path} (the list of files pikt wrote in ${dir}) is damaged.`,
    `Without it pikt cannot tell its files from yours: delete ${path} and move pikt's files away, or choose another output.`);
}

/**
 * Record `names` (relative to `dir`) as written by `command`. The read-modify-write runs under a
 * short lock of its own, since two commands may write different files into one folder at once.
 */
export async function recordInManifest(dir: string, names: readonly string[], command: string): Promise<void> {
  const path = join(dir, MANIFEST_NAME);
  const lockPath = `${path}.lock`;
  let lock;
  for (let i = 0; ; i++) {
    try {
      lock = await acquireLock(lockPath, command);
      break;
    } catch (err) {
      if (!(err instanceof PiktError && err.code === 'PIKT_OUTPUT_LOCKED') || i >= 200) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  try {
    const m = await readManifest(dir);
    const writtenAt = new Date().toISOString();
    for (const n of names) m.files[n] = { command, writtenAt };
    await withFs('write', path, () => writeFileAtomic(path, `${JSON.stringify(m, null, 2)}\n`));
  } finally {
    await lock.release();
  }
}
