/**
 * Write `data` to `path` so that readers see the old content or the new one, never a torn file:
 * parent folders are created, the bytes go to a temp file in the same folder, are fsynced, then
 * renamed over the target (rename is atomic within a filesystem). A process killed mid-write leaves
 * the previous file intact and at most a stray `*.tmp`. Node only: `node:fs` is imported on first
 * use, so importing @pikt/core stays browser-safe.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const [{ mkdir, open, rename, rm }, { dirname }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
