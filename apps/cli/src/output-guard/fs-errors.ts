import { PiktError } from '@pikt/core';

/** A file-system operation failed; names the path, the operation and Node's errno code. */
export class FileSystemError extends PiktError {
  constructor(readonly operation: string, readonly path: string, readonly errno: string, hint: string, cause?: unknown) {
    super(`PIKT_FS_${errno}`, `Cannot ${operation} ${path}: ${describeErrno(errno)} (${errno}).`, hint, { cause });
  }
}

const ERRNO_WORDS: Record<string, string> = {
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  ENOENT: 'it does not exist',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

const ERRNO_HINTS: Record<string, string> = {
  EISDIR: 'Pass the path of a file (e.g. DIR/name.json), not a folder.',
  ENOTDIR: 'Check the path: one of its folders is an existing file.',
  EACCES: 'Choose a folder you can write to, or change its permissions.',
  EPERM: 'Choose a folder you can write to, or change its permissions.',
  EROFS: 'Choose a folder on a writable file system.',
  ENOSPC: 'Free some disk space or choose a folder on another disk; finished work written before is intact.',
  EDQUOT: 'Free some space in your quota or choose a folder on another disk.',
  ENOENT: 'Check the path.',
  EMFILE: 'Raise the open-file limit (ulimit -n) and rerun.',
  ENAMETOOLONG: 'Use a shorter path.',
  ELOOP: 'Check the symbolic links in the path.',
};

function describeErrno(code: string): string {
  return ERRNO_WORDS[code] ?? 'the system refused';
}

/** Node's errno code of `err`, if it has one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** Turn a raw Node errno error into a FileSystemError with the path and the operation; others pass through. */
export function wrapFsError(err: unknown, operation: string, path: string): unknown {
  if (err instanceof PiktError) return err;
  const code = errnoOf(err);
  if (!code) return err;
  return new FileSystemError(operation, path, code, ERRNO_HINTS[code] ?? 'Check the path and its permissions.', err);
}

/** Run `fn`; a raw errno error it throws becomes a FileSystemError naming `operation` and `path`. */
export async function withFs<T>(operation: string, path: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw wrapFsError(err, operation, path);
  }
}
