#!/usr/bin/env node
// `pnpm test`: the conventions check, a typecheck of the test files (tsconfig.tests.json; the
// README code blocks too, tools/readme-check;
// libraries themselves are typechecked by their build), then every vitest project (node, cpu, wasm, ...), then one
// plain summary line "tests: N passed, N failed, N skipped" that CI reads. Exits non-zero on failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const conventions = spawnSync(process.execPath, ['tools/conventions/check.mjs'], { stdio: 'inherit' });
if (conventions.status !== 0) process.exit(conventions.status ?? 1);
const typecheck = spawnSync('npx', ['tsc', '-p', 'tsconfig.tests.json'], { stdio: 'inherit' });
if (typecheck.status !== 0) {
  console.error('typecheck of tests failed (npx tsc -p tsconfig.tests.json)');
  process.exit(typecheck.status ?? 1);
}

// @pikt/core's build output that ensureGradients() loads (tests run on sources, so they need no other
// build step): made here when missing, as `pnpm build` would, never by a vitest setup file.
if (!existsSync('packages/core/gradients/register-all-gradients.js')) {
  const bundled = spawnSync(process.execPath, ['packages/core/scripts/bundle-gradients.mjs'], { stdio: 'inherit' });
  if (bundled.status !== 0) process.exit(bundled.status ?? 1);
}

// Every ```ts block of the READMEs type-checks (strict, nodenext), as a user would paste it.
const readmeBlocks = spawnSync(process.execPath, ['tools/readme-check/check.mjs'], { stdio: 'inherit' });
if (readmeBlocks.status !== 0) process.exit(readmeBlocks.status ?? 1);

const dir = mkdtempSync(join(tmpdir(), 'pikt-test-'));
const report = join(dir, 'vitest.json');
const vitest = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], { stdio: 'inherit' });
let summary = 'tests: no result file (vitest did not finish)';
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`;
  if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) summary += ` (${r.numFailedTestSuites} test file(s) failed to load)`;
} catch { /* keep the message above */ }
rmSync(dir, { recursive: true, force: true });
// Every test can pass while vitest still fails the run (an unhandled error, a worker that crashed): say so.
if (vitest.status !== 0 && / 0 failed/.test(summary)) summary += ` (vitest exited ${vitest.status}: see "Unhandled Errors" above)`;
console.log(summary);
process.exit(vitest.status ?? 1);
