#!/usr/bin/env node
// pikt's conventions check (ARCHITECTURE.md), run before the tests:
// 1. every package has a README and an explicit "exports" map;
// 2. library dependencies point inward: a package under packages/ may depend on @pikt/core and
//    @pikt/linalg (shared kernels; @pikt/testkit for tests); plugins never import sibling plugins. trainer resolves plugins
//    through a registry; apps and tests may use everything;
// 3. src/index.ts is an explicit list of named re-exports (no `export *`).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';


/** Which workspace packages each library may import from its source (non-test) files. */
// @pikt/linalg is a shared kernel like core (float64 eigensolvers, Krylov methods): any package may use it.
const ALLOWED_SOURCE_DEPS = { '@pikt/core': [], '@pikt/linalg': ['@pikt/core'], '@pikt/testkit': ['@pikt/core', '@pikt/linalg'] };
const DEFAULT_ALLOWED = ['@pikt/core', '@pikt/linalg'];
/** Test files may additionally use the testkit and the reference cpu backend. */
const TEST_EXTRA = ['@pikt/testkit', '@pikt/backend-cpu'];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const specs = new Set();
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.add(m[1] ?? m[2] ?? m[3]);
  return [...specs];
}

function pkgName(spec) {
  if (!spec.startsWith('@pikt/')) return null;
  return spec.split('/').slice(0, 2).join('/');
}

/** Every convention problem in the repo at `root`, as one message each. */
export function checkConventions(root) {
const problems = [];
for (const group of ['packages', 'apps']) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const dir of readdirSync(groupDir)) {
    const pkgDir = join(groupDir, dir);
    const pkgFile = join(pkgDir, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    const where = relative(root, pkgDir);
    if (!existsSync(join(pkgDir, 'README.md'))) problems.push(`${where}: no README.md (write what the package does and a runnable example).`);
    if (group === 'packages' && (typeof pkg.exports !== 'object' || pkg.exports === null)) {
      problems.push(`${where}: package.json has no "exports" map (list the public entry points explicitly).`);
    }
    const srcDir = join(pkgDir, 'src');
    if (!existsSync(srcDir)) continue;
    const index = join(srcDir, 'index.ts');
    if (group === 'packages' && existsSync(index) && /export\s*\*/.test(readFileSync(index, 'utf8'))) {
      problems.push(`${where}/src/index.ts: uses "export *"; list named re-exports explicitly.`);
    }
    if (group === 'apps') continue;
    const allowed = ALLOWED_SOURCE_DEPS[pkg.name] ?? DEFAULT_ALLOWED;
    for (const file of walk(srcDir)) {
      const isTest = /\.test\.tsx?$/.test(file) || /\.bench\.tsx?$/.test(file);
      for (const spec of importsOf(file)) {
        const dep = pkgName(spec);
        if (!dep || dep === pkg.name) continue;
        if (allowed.includes(dep) || (isTest && TEST_EXTRA.includes(dep))) continue;
        problems.push(`${relative(root, file)}: imports ${dep}; ${pkg.name} may only import ${[...allowed, ...(isTest ? TEST_EXTRA : [])].join(', ') || 'nothing from @pikt'} (dependencies point inward to core; plugins never import sibling plugins).`);
      }
    }
  }
}

return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
const problems = checkConventions(process.argv[2] ?? fileURLToPath(new URL('../..', import.meta.url)));
if (problems.length > 0) {
  console.error(`conventions check: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log('conventions check: ok');
}
