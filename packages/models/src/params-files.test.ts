import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng } from '@pikt/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCnnTeacher } from './cnn-teacher.js';
import { ParamsFileError } from './params-format.js';
import { loadParams, saveParams } from './params-files.js';

let dir: string;
beforeAll(async () => {
  await createCpuBackend().activate();
  dir = await mkdtemp(join(tmpdir(), 'pikt-params-'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const io = { inputDim: 64, outputDim: 3 };
const teacher = createCnnTeacher({ filters: [2], dense: 5 });

describe('saveParams / loadParams', () => {
  it('round-trips a teacher bit-exactly and leaves no temporary file', async () => {
    const params = teacher.init(createRng(1), io);
    const target = join(dir, 'teacher');
    await saveParams(target, teacher, params, io, { meta: { testAccuracy: 0.9 } });
    expect((await readdir(target)).sort()).toEqual(['model.json', 'weights.bin']);
    const manifest = JSON.parse(await readFile(join(target, 'model.json'), 'utf8'));
    expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(manifest.options).toEqual(teacher.options);
    const loaded = await loadParams(target, { expected: teacher, io });
    expect(Object.keys(loaded.params)).toEqual(Object.keys(params));
    for (const name of Object.keys(params)) {
      expect(new Uint32Array(loaded.params[name].dataSync().buffer)).toEqual(new Uint32Array(params[name].dataSync().buffer));
    }
    expect(loaded.meta).toEqual({ testAccuracy: 0.9 });
    // Saving again over an existing save replaces it.
    const other = teacher.init(createRng(2), io);
    await saveParams(target, teacher, other, io);
    const again = await loadParams(target);
    expect(Array.from(again.params.fc_w.dataSync())).toEqual(Array.from(other.fc_w.dataSync()));
  });

  it('a truncated weights file gives a clear error', async () => {
    const target = join(dir, 'cut');
    await saveParams(target, teacher, teacher.init(createRng(3), io), io);
    await truncate(join(target, 'weights.bin'), 100);
    const err = await loadParams(target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParamsFileError);
    expect((err as Error).message).toMatch(/weights.bin is truncated: it has 100 bytes but .*model.json describes \d+ bytes \(conv0_w \[3, 3, 1, 2\]/);
    expect((err as Error).message).toMatch(/save the parameters again/);
  });

  it('names a missing directory, a missing weights file and invalid JSON', async () => {
    await expect(loadParams(join(dir, 'nope'))).rejects.toThrow(/Cannot read .*nope\/model.json \(ENOENT\)/);
    const target = join(dir, 'noweights');
    await saveParams(target, teacher, teacher.init(createRng(4), io), io);
    await rm(join(target, 'weights.bin'));
    await expect(loadParams(target)).rejects.toThrow(/Cannot read .*weights.bin \(ENOENT\), the weights that/);
    await writeFile(join(target, 'model.json'), '{ not json');
    await expect(loadParams(target)).rejects.toThrow(/model.json is not valid JSON/);
  });
});
