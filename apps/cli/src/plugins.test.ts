import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '@pikt/core';
import { loadPlugins } from './plugins.js';

const targets = () => ({ models: createRegistry<unknown>('model'), regularizers: createRegistry<unknown>('regularizer'), datasets: createRegistry<unknown>('dataset') });

describe('loadPlugins', () => {
  it('registers arrays of factories with an id, records, and calls register()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-plugin-'));
    writeFileSync(join(dir, 'a.mjs'), `
      const f = (o) => ({ id: 'my-l2', options: o }); f.id = 'my-l2';
      export const regularizers = [f];
      export const models = { 'my-mlp': () => ({}) };
      export function register(t) { t.datasets.register('my-data', () => ({})); }
    `);
    const t = targets();
    const loaded = await loadPlugins(['a.mjs'], dir, t);
    expect(loaded[join(dir, 'a.mjs')]).toEqual(['model my-mlp', 'regularizer my-l2']);
    expect(t.regularizers.ids()).toEqual(['my-l2']);
    expect(t.models.ids()).toEqual(['my-mlp']);
    expect(t.datasets.ids()).toEqual(['my-data']);
  });
  it('names the file and the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pikt-plugin-'));
    writeFileSync(join(dir, 'empty.mjs'), 'export const x = 1;');
    writeFileSync(join(dir, 'noid.mjs'), 'export const regularizers = [() => 1];');
    writeFileSync(join(dir, 'broken.mjs'), 'export const = ;');
    await expect(loadPlugins(['missing.js'], dir, targets())).rejects.toThrow(/Plugin file .*missing\.js does not exist/);
    await expect(loadPlugins(['empty.mjs'], dir, targets())).rejects.toThrow(/exports none of models, regularizers, datasets, register/);
    await expect(loadPlugins(['noid.mjs'], dir, targets())).rejects.toThrow(/regularizers\[0\] has no string "id"/);
    await expect(loadPlugins(['broken.mjs'], dir, targets())).rejects.toThrow(/broken\.mjs could not be loaded/);
  });
});
