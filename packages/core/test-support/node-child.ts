// Run TypeScript in a plain `node` child process (not vitest): bundle an entry with esbuild, keeping
// npm packages external so Node resolves them the way an application's would.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const coreDir = fileURLToPath(new URL('..', import.meta.url));

/** Generate gradients/register-all-gradients.js, as the package's build does. */
export async function buildGradientBundle(): Promise<void> {
  await run(process.execPath, [join(coreDir, 'scripts', 'bundle-gradients.mjs'), '--quiet']);
}

/**
 * Bundle `source` (TypeScript, may import the core sources by absolute path) into an .mjs under
 * node_modules/.cache (so `@tensorflow/*` resolve from the workspace) and return its path. The
 * shipped gradient module stays a separate file, imported at run time like in a published install.
 */
export async function bundleEntry(name: string, source: string): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const dir = join(coreDir, 'node_modules', '.cache', `pikt-core-${name}-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const entry = join(dir, 'entry.ts');
  await writeFile(entry, source);
  const file = join(dir, 'entry.mjs');
  await build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: file, logLevel: 'error',
    external: ['@tensorflow/*'],
    plugins: [{
      name: 'shipped-gradients',
      setup(b) {
        b.onResolve({ filter: /register-all-gradients\.js$/ }, (args) => ({ path: resolve(dirname(args.importer), args.path), external: true }));
      },
    }],
  });
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: coreDir, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}
