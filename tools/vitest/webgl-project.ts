import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';

/**
 * The `webgl` vitest project (a list: empty when Chromium is missing outside CI): `*.webgl.test.ts` files run inside Debian's headless Chromium
 * (`/usr/bin/chromium`, never a downloaded browser) through vitest browser mode, where
 * tfjs-backend-webgl gets a real WebGL2 context (SwiftShader on machines without a GPU).
 * Not `extends: true`: its own include and browser settings, nothing of the Node projects.
 * Flags: TOOLCHAIN.md's headless-as-root set; Playwright adds --enable-unsafe-swiftshader on Linux.
 */
export function webglProject(alias: Record<string, string>) {
  const executablePath = process.env.PIKT_CHROMIUM ?? '/usr/bin/chromium';
  // Outside CI a machine without Chromium skips the webgl suites with the reason; in CI
  // (tools/setup.sh installs Debian's chromium) the project stays, and fails to launch.
  if (!existsSync(executablePath) && process.env.CI !== 'true' && process.env.CI !== '1') {
    console.warn(`webgl suites skipped: ${executablePath} not found (apt-get install chromium, or set PIKT_CHROMIUM)`);
    return [];
  }
  return [{
    resolve: { alias },
    // Every dependency the suites import, optimised before the first test: one discovered later makes
    // Vite re-optimise and reload the page mid-run. (tfjs-backend-webgl is a root devDependency so
    // this list resolves; tfjs's gradient module is ensureGradients' fallback.)
    optimizeDeps: { include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients.js', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-cpu'] },
    test: {
      name: 'webgl',
      include: ['packages/*/src/**/*.webgl.test.ts', 'apps/*/src/**/*.webgl.test.ts', 'tests/**/*.webgl.test.ts'],
      testTimeout: 600_000, // a software renderer on a shared 2-core machine
      hookTimeout: 120_000,
      env: { PIKT_TEST_BACKEND: 'webgl', CI: process.env.CI ?? '' },
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: {
            executablePath,
            args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
              '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-swiftshader'],
          },
        }),
        instances: [{ browser: 'chromium' as const }],
      },
    },
  }];
}
