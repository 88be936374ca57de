import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic as writeAtomicInExistingDir } from '@pikt/trainer';

/**
 * Write a file so that readers see either the old content or the new one, never a torn file
 * (@pikt/trainer's temp file + fsync + rename), creating the parent folders first. A process
 * killed mid-write leaves the old file intact.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeAtomicInExistingDir(path, data);
}
