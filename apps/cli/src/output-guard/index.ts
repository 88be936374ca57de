export { acquireOutput, holdOutput, resolveFrom, LOCK_NAME } from './guard.js';
export type { OutputGuard, OutputOptions } from './guard.js';
export { acquireLock, processAlive, OutputLockedError } from './lock.js';
export type { HeldLock, LockHolder } from './lock.js';
export { readManifest, recordInManifest, MANIFEST_NAME } from './manifest.js';
export { FileSystemError, withFs, wrapFsError, errnoOf } from './fs-errors.js';
