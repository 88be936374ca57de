// Headless Debian Chromium through playwright-core (never a downloaded browser), shared by the
// browser tests and the benchmark.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.PIKT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
