import { PiktError, writeFileAtomic } from '@pikt/core';
import {
  deserializeCheckpoint, serializeCheckpoint, type CheckpointManifest, type CheckpointStore,
} from './checkpoint.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

/** Node's fs, loaded on first use so that importing @pikt/trainer works in browsers. */
async function nodeModules(): Promise<{ fs: Fs; path: Path }> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

const MANIFEST = 'checkpoint.json';

/**
 * Checkpoints in a directory (Node): `checkpoint.json` (the manifest: step, RNG key, optimizer
 * counters, metrics so far) and `weights-<step>.bin` (parameters and optimizer slots, float32 LE).
 * A save writes the new weights file, then the manifest that points at it, each atomically
 * (temp + fsync + rename), and only then deletes older weights files: at every instant
 * `checkpoint.json` names a complete weights file, so a run killed at any point (SIGKILL included)
 * resumes from the last checkpoint.
 */
export function createDirectoryCheckpointStore(dir: string): CheckpointStore {
  return {
    location: dir,
    async load() {
      const { fs, path } = await nodeModules();
      let text: string;
      try {
        text = await fs.readFile(path.join(dir, MANIFEST), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      let manifest: CheckpointManifest & { weightsFile?: string };
      try {
        manifest = JSON.parse(text);
      } catch (cause) {
        throw new PiktError('PIKT_BAD_CHECKPOINT', `${path.join(dir, MANIFEST)} is not valid JSON (${String(cause)}).`,
          'Delete the checkpoint directory and restart the run.');
      }
      const weightsFile = manifest.weightsFile ?? '';
      if (!/^weights-\d+\.bin$/.test(weightsFile)) {
        throw new PiktError('PIKT_BAD_CHECKPOINT', `${path.join(dir, MANIFEST)} names no weights file.`, 'Delete the checkpoint directory and restart the run.');
      }
      const bytes = new Uint8Array(await fs.readFile(path.join(dir, weightsFile)));
      const { weightsFile: _w, ...rest } = manifest;
      void _w;
      return deserializeCheckpoint(rest, bytes, path.join(dir, MANIFEST));
    },
    async save(checkpoint) {
      const { fs, path } = await nodeModules();
      await fs.mkdir(dir, { recursive: true });
      const { manifest, bytes } = serializeCheckpoint(checkpoint);
      const weightsFile = `weights-${checkpoint.step}.bin`;
      await writeFileAtomic(path.join(dir, weightsFile), bytes);
      await writeFileAtomic(path.join(dir, MANIFEST), `${JSON.stringify({ ...manifest, weightsFile })}\n`);
      for (const name of await fs.readdir(dir)) {
        if (/^weights-\d+\.bin$/.test(name) && name !== weightsFile) await fs.rm(path.join(dir, name), { force: true });
      }
    },
  };
}
