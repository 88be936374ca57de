#!/usr/bin/env node
// `pnpm test`: the conventions check, then every vitest project (node, cpu, wasm, ...), then one
// plain summary line "tests: N passed, N failed, N skipped" that CI reads. Exits non-zero on failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const conventions = spawnSync(process.execPath, ['tools/conventions/check.mjs'], { stdio: 'inherit' });
if (conventions.status !== 0) process.exit(conventions.status ?? 1);

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
console.log(summary);
process.exit(vitest.status ?? 1);
