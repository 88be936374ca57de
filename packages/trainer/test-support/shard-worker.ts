import { mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Tests run on TypeScript sources, which a worker thread cannot load: bundle the shard thread's
 * entry (src/sharded/node-shard-worker.ts) into packages/trainer/.shard-worker/ (tfjs stays
 * external and resolves from the package's node_modules) and point PIKT_SHARD_WORKER at it.
 */
export async function useBundledShardWorker(): Promise<string> {
  const outdir = fileURLToPath(new URL('../.shard-worker/', import.meta.url));
  mkdirSync(outdir, { recursive: true });
  const outfile = `${outdir}node-shard-worker.mjs`;
  const scratch = `${outdir}node-shard-worker.${process.pid}.mjs`;
  await build({
    entryPoints: [fileURLToPath(new URL('../src/sharded/node-shard-worker.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: scratch, logLevel: 'warning',
    external: ['@tensorflow/*'],
  });
  // Test files bundle in parallel: each writes its own file, then renames it over the shared name (atomic).
  renameSync(scratch, outfile);
  process.env.PIKT_SHARD_WORKER = outfile;
  return outfile;
}
