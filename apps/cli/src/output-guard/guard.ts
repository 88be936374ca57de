import { access, constants, lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PiktError, writeFileAtomic } from '@pikt/core';
import { FileSystemError, errnoOf, withFs, wrapFsError } from './fs-errors.js';
import { acquireLock } from './lock.js';
import { MANIFEST_NAME, readManifest, recordInManifest } from './manifest.js';

/** The lock file in an output folder (a file output `F` is locked by `F.pikt-lock`). */
export const LOCK_NAME = '.pikt-lock';

export interface OutputOptions {
  /** The command taking the output, for the lock and the manifest (e.g. `reproduce`). */
  command: string;
  /** `dir`: a folder the command fills; `file`: one file. */
  kind: 'dir' | 'file';
  /** Files the command reads: the output may not be one of them. Undefined entries are ignored. */
  inputs?: ReadonlyArray<string | undefined>;
  /** Replace files pikt wrote earlier (never others). */
  force?: boolean;
  /** Continue earlier output (the caller decides what that means for its files). */
  resume?: boolean;
  /** `dir`: files (relative) the command will write, checked before any work. */
  planned?: readonly string[];
  /** `dir`: sub-folders the command writes into; every file already there must be pikt's. */
  plannedDirs?: readonly string[];
  /**
   * `dir` without a manifest: names of files a pikt of before the manifest wrote, recognized by
   * their content (a pikt results.json), adopted as pikt's.
   */
  adopt?: (dir: string) => Promise<readonly string[]>;
}

/** An output held exclusively by this process until `release()`. */
export interface OutputGuard {
  /** The output as given: the folder, or the file. */
  readonly path: string;
  /** The folder that holds the manifest. */
  readonly dir: string;
  /** Things worth telling the user (a stale lock replaced). */
  readonly notes: string[];
  /** Whether pikt wrote `file` (absolute, or relative to `dir`). */
  owns(file: string): boolean;
  /** Write `file` (inside the output) atomically, after checking it is pikt's or new; errors name the path. */
  write(file: string, data: string | Uint8Array): Promise<void>;
  release(): Promise<void>;
}

function foreignError(file: string, dir: string): PiktError {
  return new PiktError('PIKT_OUTPUT_FOREIGN', `${file} exists and pikt did not write it (it is not listed in ${join(dir, MANIFEST_NAME)}).`,
    'pikt never overwrites a file it did not write, even with --force: move the file away or choose another output.');
}

async function statOrUndefined(path: string): Promise<import('node:fs').Stats | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return undefined;
    if (errnoOf(err) === 'ENOTDIR') throw new FileSystemError('use', path, 'ENOTDIR', 'Check the path: one of its folders is an existing file.', err);
    throw wrapFsError(err, 'inspect', path);
  }
}

async function same(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [sa, sb] = await Promise.all([statOrUndefined(a).catch(() => undefined), statOrUndefined(b).catch(() => undefined)]);
  return Boolean(sa && sb && sa.dev === sb.dev && sa.ino === sb.ino);
}

/** The nearest existing ancestor of `path` must be a folder (else ENOTDIR, up front). */
async function checkAncestors(path: string): Promise<void> {
  for (let p = dirname(path); ; p = dirname(p)) {
    const s = await statOrUndefined(p);
    if (s) {
      if (!s.isDirectory()) throw new FileSystemError('create', path, 'ENOTDIR', `${p} is a file: choose an output whose folders are folders.`);
      return;
    }
    if (dirname(p) === p) return;
  }
}

/**
 * Take an output before any work: checks its type and that it can be written, that it is not one of
 * the command's inputs, that no planned file is someone else's, and locks it against a second pikt.
 * Every later write goes through `write`, which records the file in the folder's manifest, so
 * `--force` can replace exactly what pikt wrote and nothing else.
 */
export async function acquireOutput(path: string, options: OutputOptions): Promise<OutputGuard> {
  const target = resolve(path);
  const dir = options.kind === 'dir' ? target : dirname(target);
  for (const input of options.inputs ?? []) {
    if (input !== undefined && (await same(target, input))) {
      throw new PiktError('PIKT_OUTPUT_IS_INPUT', `The output ${target} is also an input of this command (${resolve(input)}).`,
        'pikt never overwrites its own inputs: choose another --out.');
    }
  }
  const s = await statOrUndefined(target);
  if (options.kind === 'file' && s?.isDirectory()) throw new FileSystemError('write', target, 'EISDIR', `Pass a file path for --out, e.g. ${join(target, 'out.json')}.`);
  if (options.kind === 'dir' && s && !s.isDirectory()) throw new FileSystemError('create the folder', target, 'ENOTDIR', `${target} is a file: pass a folder for --out.`);
  await checkAncestors(target);
  await withFs('create the folder', dir, () => mkdir(dir, { recursive: true }));
  const lock = await acquireLock(options.kind === 'dir' ? join(dir, LOCK_NAME) : `${target}${LOCK_NAME}`, options.command);
  try {
    const manifest = await readManifest(dir);
    const owned = new Set(Object.keys(manifest.files));
    if (options.kind === 'dir' && owned.size === 0 && options.adopt) {
      const adopted = await options.adopt(dir);
      if (adopted.length > 0) {
        await recordInManifest(dir, adopted, options.command);
        adopted.forEach((n) => owned.add(n));
      }
    }
    const rel = (file: string) => relative(dir, resolve(dir, file)).split(sep).join('/');
    const existsHere = async (name: string) => (await lstat(join(dir, name)).then(() => true, () => false));
    if (options.kind === 'file') {
      const name = basename(target);
      if (await existsHere(name)) {
        if (!owned.has(name)) throw foreignError(target, dir);
        if (!options.force) {
          throw new PiktError('PIKT_OUTPUT_EXISTS', `${target} exists (pikt ${manifest.files[name].command} wrote it on ${manifest.files[name].writtenAt}).`,
            'Pass --force to replace it, or choose another --out.');
        }
      }
    } else {
      for (const name of options.planned ?? []) {
        if (await existsHere(name) && !owned.has(rel(name))) throw foreignError(join(dir, name), dir);
      }
      for (const sub of options.plannedDirs ?? []) {
        const subDir = join(dir, sub);
        const st = await statOrUndefined(subDir);
        if (!st) continue;
        if (!st.isDirectory()) throw new FileSystemError('create the folder', subDir, 'ENOTDIR', `${subDir} is a file: move it away.`);
        await withFs('write into', subDir, () => access(subDir, constants.W_OK));
        for (const f of await withFs('list', subDir, () => readdir(subDir, { recursive: true }))) {
          const name = rel(join(sub, String(f)));
          const fs = await lstat(join(dir, name));
          if (!fs.isDirectory() && !owned.has(name)) throw foreignError(join(dir, name), dir);
        }
      }
    }
    const recorded = new Set<string>();
    return {
      path: target,
      dir,
      notes: lock.staleNote ? [lock.staleNote] : [],
      owns: (file) => owned.has(rel(file)),
      async write(file, data) {
        const abs = isAbsolute(file) ? file : resolve(dir, file);
        const name = rel(abs);
        if (name.startsWith('../') || name === '..' || (options.kind === 'file' && abs !== target)) {
          throw new PiktError('PIKT_OUTPUT_OUTSIDE', `Refusing to write ${abs}: it is outside the output ${target}.`, 'This is a bug in pikt: please report it.');
        }
        if (!owned.has(name) && (await existsHere(name))) throw foreignError(abs, dir);
        if (!recorded.has(name)) {
          await recordInManifest(dir, [name], options.command);
          recorded.add(name);
          owned.add(name);
        }
        await withFs('write', abs, () => writeFileAtomic(abs, data));
      },
      release: () => lock.release(),
    };
  } catch (err) {
    await lock.release();
    throw err;
  }
}

/** Resolve a path given on the command line against the command's working folder. */
export function resolveFrom(cwd: string, file: string | undefined): string | undefined {
  return file === undefined ? undefined : resolve(cwd, file);
}


/**
 * `acquireOutput` for a command: the lock is released when the command ends (through the CLI's
 * `defer`), and notes (a stale lock replaced) go to stderr.
 */
export async function holdOutput(
  ctx: { io: { stderr: { write(t: string): unknown } }; defer?: (c: () => Promise<void>) => void },
  path: string, options: OutputOptions,
): Promise<OutputGuard> {
  const guard = await acquireOutput(path, options);
  if (ctx.defer) ctx.defer(() => guard.release());
  for (const n of guard.notes) ctx.io.stderr.write(`pikt ${options.command}: note: ${n}.\n`);
  return guard;
}
