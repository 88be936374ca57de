#!/usr/bin/env node
// Runs scripts/make-assets.ts (bundled on the fly by esbuild; the pikt packages come from their builds).
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Inside the package, so the bundle's bare imports (@pikt/datasets) resolve to its node_modules.
const dir = mkdtempSync(join(fileURLToPath(new URL('../node_modules/', import.meta.url)), '.make-assets-'));
const outfile = join(dir, 'make-assets.mjs');
try {
  await build({ entryPoints: [new URL('./make-assets.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile, packages: 'external', logLevel: 'warning' });
  process.env.PIKT_DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
