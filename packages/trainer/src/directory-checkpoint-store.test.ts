import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT, type Checkpoint } from './checkpoint.js';
import { createDirectoryCheckpointStore } from './directory-checkpoint-store.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'pikt-ckpt-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const ckpt = (step: number): Checkpoint => ({
  format: CHECKPOINT_FORMAT, runId: 'r', configHash: 'h', config: {}, step, backend: 'cpu', rngKey: [1, 2],
  params: { W: { shape: [2], dtype: 'float32', data: new Float32Array([step, -step]) } },
  optimizer: { kind: 'gd', t: step, slots: {} }, monitor: { recent: [], best: null }, history: [], evals: [],
});

describe('directory checkpoint store', () => {
  it('saves atomically, loads the latest, keeps only its weights file and leaves no temp file', async () => {
    const store = createDirectoryCheckpointStore(join(dir, 'a', 'b'));
    expect(await store.load()).toBeUndefined();
    await store.save(ckpt(5));
    await store.save(ckpt(10));
    expect((await readdir(join(dir, 'a', 'b'))).sort()).toEqual(['checkpoint.json', 'weights-10.bin']);
    expect(await store.load()).toEqual(ckpt(10));
  });
  it('a manifest whose weights file is gone or garbled is an error that says what to do', async () => {
    const d = join(dir, 'broken');
    const store = createDirectoryCheckpointStore(d);
    await store.save(ckpt(1));
    await rm(join(d, 'weights-1.bin'));
    await expect(store.load()).rejects.toThrow(/ENOENT/);
    await writeFile(join(d, 'checkpoint.json'), '{"format":');
    await expect(store.load()).rejects.toThrow(/checkpoint.json is not valid JSON .* Delete the checkpoint directory/);
    await writeFile(join(d, 'checkpoint.json'), '{"weightsFile":"../etc/passwd"}');
    await expect(store.load()).rejects.toThrow(/names no weights file/);
  });
});
