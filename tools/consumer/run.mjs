#!/usr/bin/env node
// The consumer test (issue 9): use pikt as a library user would, outside the repo.
// 1. `pnpm pack` every publishable workspace package (built first) into a temp folder;
// 2. `npm install` the tarballs into a fresh npm project in the OS temp dir (the tfjs packages,
//    typescript and vitest come from the npm registry or npm's cache);
// 3. type-check examples/*.ts and project/conformance.test.ts with tsc --strict, nodenext;
// 4. run every example with plain `node`, and the testkit conformance suites (a custom regularizer,
//    the wide student) with vitest and no config or setup file.
// Prints one line per stage; exits non-zero at the first failure. `--keep` keeps the project.
// Needs Node 20, pnpm and npm (the registry, or npm's cache for an offline run); ~2 minutes.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const here = fileURLToPath(new URL('.', import.meta.url));
const keep = process.argv.includes('--keep');
// --suites-only: skip the examples (to run the conformance suites against an older checkout).
const suitesOnly = process.argv.includes('--suites-only');
const rootPkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const TOOL_VERSIONS = { typescript: rootPkg.devDependencies.typescript, vitest: rootPkg.devDependencies.vitest, '@types/node': rootPkg.devDependencies['@types/node'] };
const started = Date.now();

function step(name, cmd, args, options = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    console.error(`consumer: FAIL ${name} (${cmd} ${args.join(' ')}, exit ${r.status ?? r.signal}, ${seconds} s)`);
    if (!keep) rmSync(work, { recursive: true, force: true });
    else console.error(`consumer: project kept in ${work}`);
    process.exit(1);
  }
  console.log(`consumer: ok   ${name} (${seconds} s)`);
  return r.stdout;
}

/** Publishable workspace packages: every packages/* and apps/* that is not private. */
function publishable() {
  const out = [];
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(repo, group))) {
      const file = join(repo, group, dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (!pkg.private) out.push({ dir: join(repo, group, dir), name: pkg.name, version: pkg.version });
    }
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'pikt-consumer-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');

step('build (turbo)', 'pnpm', ['run', 'build'], { cwd: repo });
const packages = publishable();
for (const p of packages) step(`pack ${p.name}@${p.version}`, 'pnpm', ['pack', '--pack-destination', tarballs], { cwd: p.dir });
const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
for (const f of files) {
  const listing = spawnSync('tar', ['tzf', join(tarballs, f)], { encoding: 'utf8' }).stdout.split('\n');
  const tests = listing.filter((l) => /\.test\.[cm]?[jt]s$/.test(l));
  if (tests.length > 0 || !listing.includes('package/LICENSE')) {
    console.error(`consumer: FAIL ${f} ships ${tests.length} test file(s) (${tests.slice(0, 3).join(', ')}) ${listing.includes('package/LICENSE') ? '' : 'and no LICENSE'}`);
    process.exit(1);
  }
}
console.log(`consumer: ok   ${files.length} tarballs, no test files, each with a LICENSE`);

cpSync(join(here, 'project'), project, { recursive: true });
if (!suitesOnly) cpSync(join(repo, 'examples'), join(project, 'examples'), { recursive: true, filter: (src) => !src.endsWith('.md') });
const tarballOf = (p) => `file:${join(tarballs, files.find((f) => f.startsWith(`${p.name.slice(1).replace('/', '-')}-${p.version}`)))}`;
const deps = Object.fromEntries(packages.map((p) => [p.name, tarballOf(p)]));
writeFileSync(join(project, 'package.json'), `${JSON.stringify({
  name: 'pikt-consumer', private: true, type: 'module',
  dependencies: { ...deps, '@tensorflow/tfjs-core': rootPkg.devDependencies['@tensorflow/tfjs-core'] },
  devDependencies: TOOL_VERSIONS,
  // Every @pikt/* dependency of a tarball resolves to its sibling tarball, never to the registry.
  overrides: Object.fromEntries(packages.map((p) => [p.name, `$${p.name}`])),
}, null, 2)}\n`);
step('npm install (tarballs + registry/cache)', 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });
step('tsc --strict --module nodenext (examples, conformance test)', join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: project });
for (const ex of (suitesOnly ? [] : readdirSync(join(project, 'examples'))).filter((f) => f.endsWith('.ts') && f !== 'check.ts')) {
  const out = step(`example ${ex}`, process.execPath, [join('out', 'examples', ex.replace(/\.ts$/, '.js'))], { cwd: project });
  for (const line of out.trim().split('\n').filter((l) => /^(ok|FAIL) /.test(l))) console.log(`consumer:        ${line}`);
}
const vitestOut = step('testkit conformance suites (vitest, no setup file)', join(project, 'node_modules', '.bin', 'vitest'), ['run', '--root', project, 'out/conformance.test.js'], { cwd: project, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
const passed = /Tests\s+(\d+) passed/.exec(vitestOut)?.[1];
console.log(`consumer: ok   all stages in ${((Date.now() - started) / 1000).toFixed(0)} s (${passed ?? '?'} conformance tests passed)`);
if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`consumer: project kept in ${work}`);
