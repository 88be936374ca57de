#!/usr/bin/env node
// `pnpm bench [--quick] [--only a,b] ...`: from a fresh clone, installs the locked npm packages when
// node_modules is missing, builds what the bench needs (turbo, cached), then runs bench/dist/main.js.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2).filter((a) => a !== '--');
const step = (what, cmd, argv) => {
  console.log(`pnpm bench: ${what}`);
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) {
    console.error(`pnpm bench: ${what} failed (${r.error?.message ?? `exit ${r.status}`})`);
    process.exit(r.status ?? 1);
  }
};
if (!args.includes('--help') && !args.includes('-h')) {
  if (!existsSync(join(root, 'node_modules')) || !existsSync(join(root, 'bench/node_modules'))) step('installing the locked npm packages', 'pnpm', ['install', '--frozen-lockfile']);
  if (!args.includes('--no-build')) step('building (turbo run build --filter=@pikt/bench..., cached)', 'pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@pikt/bench...', '--output-logs=errors-only']);
}
if (!existsSync(join(root, 'bench/dist/main.js'))) step('building bench/dist', process.execPath, [join(root, 'bench/build.mjs')]);
const r = spawnSync(process.execPath, [join(root, 'bench/dist/main.js'), ...args], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
