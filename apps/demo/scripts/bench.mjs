#!/usr/bin/env node
// Benchmark (not a test): full-batch GD steps per second of the demo with the live overlay (measured
// and predicted curves, gap, kernel drift, all views redrawn), MNIST 3 vs 5, n = 500, d = 64,
// m = 2048, wasm, in headless Debian Chromium. Target: >= 30 steps/s. Also reports the longest
// main-thread task while training (PerformanceObserver "longtask"; the page should never block).
// Build the site first (pnpm --filter @pikt/demo build). PIKT_BENCH_STEPS overrides the 300 steps.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.mjs';
import { startServer } from './serve.mjs';

// PIKT_DEMO_DIST serves another build (a before/after comparison).
const dist = process.env.PIKT_DEMO_DIST ? `${process.env.PIKT_DEMO_DIST.replace(/\/$/, '')}/` : fileURLToPath(new URL('../dist/', import.meta.url));
if (!existsSync(`${dist}index.html`)) { console.error('build the demo first: pnpm --filter @pikt/demo build'); process.exit(1); }
const steps = Number(process.env.PIKT_BENCH_STEPS ?? 300);
// PIKT_BENCH_QUERY replaces the state (another data set or width; m in the output is then the query's).
const query = process.env.PIKT_BENCH_QUERY ?? `?ds=mnist&n=500&d=64&m=2048&k=${steps}`;
const server = await startServer(dist);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(server.url + query);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 120_000 });
  await page.evaluate(() => { window.__longTasks = []; });
  await page.click('#play');
  await page.waitForFunction(() => document.body.dataset.done === 'true', null, { timeout: 600_000 });
  const r = await page.evaluate(() => ({ summary: window.pikt.summary, longTasks: window.__longTasks, setup: window.pikt.data.setup }));
  const s = r.summary;
  const longest = r.longTasks.length ? Math.max(...r.longTasks) : 0;
  console.log(JSON.stringify({
    bench: 'demo-live-gd', query, backend: r.setup.backend, device: r.setup.backendDevice, workers: r.setup.workers, n: r.setup.n, d: r.setup.d, m: Number(new URLSearchParams(query).get('m') ?? 2048), steps: s.steps,
    stepsPerSecond: Number(s.stepsPerSecond.toFixed(2)), elapsedMs: Math.round(s.elapsedMs), overlayMs: s.overlayMs, kernelMs: s.kernelMs, target: 30, gap: s.gap, mainThreadLongTasks: r.longTasks.length, longestMainThreadTaskMs: Math.round(longest),
  }));
} finally {
  await browser.close();
  await server.close();
}
