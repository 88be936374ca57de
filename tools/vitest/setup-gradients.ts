// tfjs-core's Node entry registers no gradients. Load the same esbuild bundle of tfjs-core's
// gradient registrations that @pikt/trainer ships (one pre-bundled file loads in ~0.1 s, where the
// unbundled ESM module graph costs seconds of transform in every test file); make it if missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const bundle = resolve('packages/trainer/gradients/register-all-gradients.js');
if (!existsSync(bundle)) {
  execFileSync(process.execPath, [resolve('packages/trainer/scripts/bundle-gradients.mjs'), '--quiet'], { stdio: 'inherit' });
}
await import(/* @vite-ignore */ pathToFileURL(bundle).href);
