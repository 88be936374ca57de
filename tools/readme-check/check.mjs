#!/usr/bin/env node
// Type-checks every ```ts code block of the repo's READMEs with strict tsc (nodenext), as a user
// would paste it into a module of their own: each block becomes one .mts file, with @pikt/* resolved
// to the workspace sources. A block whose fence reads ```ts fragment is prose-with-code and skipped.
// Prints one line per failing block (README:line) and exits non-zero when any fails. Run by `pnpm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The READMEs: the root's, examples/, and every package's and app's. */
export function readmes() {
  const out = ['README.md', 'examples/README.md'].filter((f) => existsSync(join(repo, f)));
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(repo, group))) {
      const f = join(group, dir, 'README.md');
      if (existsSync(join(repo, f))) out.push(f);
    }
  }
  return out;
}

/** ```ts blocks of a markdown text: { line (1-based, of the fence), code }; `fragment` blocks left out. */
export function tsBlocks(text) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)(\s+(\S+))?\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (open[3] !== 'fragment') blocks.push({ line: start + 1, code: `${body.join('\n')}\n` });
  }
  return blocks;
}

function main() {
  const dir = join(repo, 'node_modules', '.cache', 'pikt-readme-blocks');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const origin = new Map();
  for (const readme of readmes()) {
    for (const b of tsBlocks(readFileSync(join(repo, readme), 'utf8'))) {
      const name = `${readme.replace(/[/.]/g, '_')}_L${b.line}.mts`;
      // `export {}` makes a block without imports a module too (top-level await, own scope).
      writeFileSync(join(dir, name), `${b.code}export {};\n`);
      origin.set(name, `${readme}:${b.line}`);
    }
  }
  const paths = {};
  for (const group of ['packages', 'apps']) {
    for (const d of readdirSync(join(repo, group))) {
      const pkgFile = join(repo, group, d, 'package.json');
      if (!existsSync(pkgFile) || !existsSync(join(repo, group, d, 'src', 'index.ts'))) continue;
      paths[JSON.parse(readFileSync(pkgFile, 'utf8')).name] = [join(repo, group, d, 'src', 'index.ts')];
    }
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    extends: join(repo, 'tsconfig.base.json'),
    compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, sourceMap: false, strict: true, module: 'nodenext', moduleResolution: 'nodenext', paths },
    include: ['*.mts'],
  }, null, 2));
  const tsc = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', cwd: repo });
  const errors = `${tsc.stdout}${tsc.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l));
  const inBlocks = errors.filter((l) => origin.has(l.split('(')[0].split('/').at(-1)));
  for (const l of errors) {
    const file = l.split('(')[0];
    const name = file.split('/').at(-1);
    const where = origin.get(name);
    const m = /\((\d+),(\d+)\)/.exec(l);
    console.error(where ? `${where.split(':')[0]}:${Number(where.split(':')[1]) + Number(m?.[1] ?? 0)} ${l.slice(l.indexOf('error'))}` : relative(repo, l));
  }
  if (tsc.status !== 0) {
    console.error(`readme-check: ${inBlocks.length} error(s) in README code blocks (of ${origin.size} checked; strict tsc, nodenext).`);
    process.exit(1);
  }
  console.log(`readme-check: ${origin.size} README code blocks type-check (strict, nodenext)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
