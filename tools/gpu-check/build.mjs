#!/usr/bin/env node
// Builds tools/gpu-check/bundle/: gpu-check.mjs (esbuild: pikt's sources, tfjs-core, the webgpu and
// wasm backends in one file), node_modules/webgpu (Dawn's prebuilt dawn.node for linux-x64, loaded
// natively), wasm/ (tfjs-backend-wasm's SIMD binary) and, with --with-node, node.xz (this Node 20
// binary, xz-compressed: a lent machine has no Node and no registry). See README.md.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = join(here, 'bundle');
const withNode = process.argv.includes('--with-node');

/** @pikt/x -> its src/index.ts, as in vitest.config.ts (no prior build needed). */
function aliases() {
  const alias = {};
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(root, group))) {
      const pkg = join(root, group, dir, 'package.json');
      const entry = join(root, group, dir, 'src', 'index.ts');
      if (existsSync(pkg) && existsSync(entry)) alias[JSON.parse(readFileSync(pkg, 'utf8')).name] = entry;
    }
  }
  return alias;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'wasm'), { recursive: true });
await build({
  entryPoints: [join(here, 'src/gpu-check.ts')],
  outfile: join(out, 'gpu-check.mjs'),
  bundle: true, platform: 'node', format: 'esm', target: 'node20', alias: aliases(),
  // dawn.node is a native addon: the webgpu package travels as files beside the bundle.
  external: ['webgpu'],
  // tfjs's CommonJS parts call require() and read __dirname (the wasm loader): give the ESM bundle both.
  banner: { js: ["import { createRequire as __pikt_cr } from 'node:module';", "import { fileURLToPath as __pikt_fu } from 'node:url';",
    "import { dirname as __pikt_dn } from 'node:path';", 'const require = __pikt_cr(import.meta.url);',
    'const __filename = __pikt_fu(import.meta.url);', 'const __dirname = __pikt_dn(__filename);'].join(' ') },
  logLevel: 'warning',
});

const fromNodeGpu = createRequire(join(root, 'packages/backend-node-gpu/package.json'));
const webgpuDir = dirname(fromNodeGpu.resolve('webgpu/package.json'));
const dest = join(out, 'node_modules/webgpu');
mkdirSync(join(dest, 'dist/linux-x64'), { recursive: true });
for (const f of ['package.json', 'index.js']) copyFileSync(join(webgpuDir, f), join(dest, f));
copyFileSync(join(webgpuDir, 'dist/linux-x64/dawn.node'), join(dest, 'dist/linux-x64/dawn.node'));

const wasmDir = join(dirname(createRequire(join(root, 'packages/backend-wasm/package.json')).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) copyFileSync(join(wasmDir, f), join(out, 'wasm', f));

if (withNode) {
  writeFileSync(join(out, 'node.xz'), execFileSync('xz', ['-T2', '-6', '-c', process.execPath], { maxBuffer: 1 << 28 }));
}
let bytes = 0;
const walk = (p) => { for (const e of readdirSync(p)) { const q = join(p, e); const s = statSync(q); if (s.isDirectory()) walk(q); else bytes += s.size; } };
walk(out);
console.log(`gpu-check bundle: ${out} (${(bytes / 2 ** 20).toFixed(1)} MiB${withNode ? ', with node.xz' : ''})`);

