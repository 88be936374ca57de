import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { webglProject } from './tools/vitest/webgl-project.js';

/**
 * Tests run against sibling packages' sources (no prior build needed): every workspace package
 * `@pikt/x` with `src/index.ts` is aliased to that file.
 */
function workspaceAliases(): Record<string, string> {
  const alias: Record<string, string> = {};
  for (const group of ['packages', 'apps']) {
    if (!existsSync(group)) continue;
    for (const dir of readdirSync(group)) {
      const pkgFile = join(group, dir, 'package.json');
      const entry = join(group, dir, 'src', 'index.ts');
      if (!existsSync(pkgFile) || !existsSync(entry)) continue;
      const { name } = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name: string };
      alias[name] = resolve(entry);
    }
  }
  return alias;
}

const testFiles = ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tools/**/*.test.ts', 'tests/**/*.test.ts', 'bench/src/**/*.test.ts'];
const backendProject = (backend: string) => ({
  extends: true as const,
  test: {
    name: backend,
    include: testFiles.map((p) => p.replace('*.test.ts', '*.backend.test.ts')),
    env: { PIKT_TEST_BACKEND: backend },
    setupFiles: ['tools/vitest/setup-backend.ts'],
  },
});

export default defineConfig({
  resolve: { alias: workspaceAliases() },
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      // Backend-independent tests (pure JS, float64 analysis, or tests that pick their backend).
      { extends: true, test: { name: 'node', include: testFiles, exclude: ['**/node_modules/**', '**/*.backend.test.ts', '**/*.node-gpu.test.ts', '**/*.webgl.test.ts'] } },
      // `*.backend.test.ts` files (conformance suites) run once per backend.
      backendProject('cpu'),
      backendProject('wasm'),
      // `*.node-gpu.test.ts`: tfjs-backend-webgpu on Dawn in Node (a software adapter here); prints the adapter once.
      { extends: true, test: { name: 'node-gpu', include: testFiles.map((p) => p.replace('*.test.ts', '*.node-gpu.test.ts')), env: { PIKT_TEST_BACKEND: 'node-gpu' }, globalSetup: ['tools/vitest/node-gpu-global-setup.ts'], testTimeout: 600_000 } },
      // `*.webgl.test.ts`: tfjs-backend-webgl in real headless Chromium (vitest browser mode).
      ...webglProject(workspaceAliases()),
    ],
  },
});
