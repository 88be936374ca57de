// Browser tests of the built demo site: Debian Chromium through playwright-core, the site served on a
// loopback port by this test (apps/demo/scripts/serve.mjs). Builds the site first when dist/ is
// missing or older than the sources. A screenshot lands in apps/demo/test-output/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../../scripts/browser.mjs';
import { startServer } from '../../scripts/serve.mjs';

const APP = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(APP, 'dist');
const OUT = join(APP, 'test-output');
/** The stated bound on the measured-vs-predicted gap of the "interpolate" preset at m = 8192. */
const GAP_BOUND_8192 = 0.1;

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

function ensureBuilt(): void {
  const index = join(DIST, 'index.html');
  const sources = Math.max(...['src', 'public', 'index.html', 'vite.config.ts'].map((p) => newest(join(APP, p))));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, [join(APP, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: APP, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: tools/setup.sh installs Debian's chromium`);
if (!haveChromium) console.warn(`skipping the demo browser tests: ${CHROMIUM} is not installed (tools/setup.sh installs it)`);

interface Summary { status: string; steps: number; finalLabel: number; finalPi: number; gap: number; stepsPerSecond: number }

describe.skipIf(!haveChromium)('demo site in headless Chromium', () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };
  let context: BrowserContext;
  const errors: string[] = [];
  const foreign: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await startServer(DIST);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    context.on('request', (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url()); });
    context.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    context.on('weberror', (e) => errors.push(e.error().message));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  /** The run's prediction is drawn and the trainer holds at step 0 (body[data-ready] is set on setup). */
  const waitReady = (page: Page) => page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });

  async function open(query = ''): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${server.url}${query}`);
    await waitReady(page);
    return page;
  }

  async function runToEnd(page: Page, timeout = 60_000): Promise<Summary> {
    await page.click('#play');
    await page.waitForFunction(() => document.body.dataset.done === 'true', null, { timeout });
    return page.evaluate(() => (window as unknown as { pikt: { summary: Summary } }).pikt.summary);
  }

  const rowsOf = (page: Page) => page.evaluate(() => (window as unknown as { pikt: { data: { rows: { k: number; label: number }[] } } }).pikt.data.rows);

  it('trains on wasm at m = 8192 (the "interpolate" preset): the label loss falls and the displayed gap is below the stated bound', async () => {
    const page = await open();
    await page.selectOption('#preset', 'interpolate');
    await waitReady(page);
    expect(await page.inputValue('#ctl-width')).not.toBe('');
    const s = await runToEnd(page, 200_000);
    expect(await page.textContent('#backend')).toBe('wasm');
    expect(s.status).toBe('completed');
    expect(s.steps).toBe(150);
    const rows = await rowsOf(page);
    expect(rows.length).toBe(151);
    expect(rows[150].label).toBeLessThan(0.2 * rows[0].label);
    const shown = Number(await page.textContent('#gap'));
    expect(shown).toBeCloseTo(s.gap, 4);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(GAP_BOUND_8192);
    console.log(`demo: interpolate preset at m = 8192: gap ${s.gap.toFixed(4)} (bound ${GAP_BOUND_8192}), ${s.stepsPerSecond.toFixed(1)} steps/s`);
    // Hovering a step in the loss view reads that step's measured and predicted numbers out.
    const box = await page.locator('#view-loss canvas').first().boundingBox();
    if (!box) throw new Error('no loss chart canvas');
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForFunction(() => /^step \d+: label /.test(document.querySelector('#readout')?.textContent ?? ''), null, { timeout: 5_000 });
    const hovered = Number((await page.textContent('#readout'))?.match(/^step (\d+)/)?.[1]);
    const row = rows.find((r) => r.k === hovered);
    expect(row).toBeDefined();
    expect(await page.textContent('#readout')).toContain(`label ${row?.label.toPrecision(4)}`);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'demo-interpolate-m8192.png'), fullPage: true });
    await page.close();
  }, 240_000);

  it('trains the benchmark\'s MNIST run (n = 500, d = 64, m = 2048) on 2 shard Web Workers, kernel drift and heat map included', async () => {
    const page = await open('?ds=mnist&n=500&d=64&m=2048&k=30');
    const s = await runToEnd(page, 120_000);
    expect(await page.textContent('#backend')).toBe('wasm');
    expect(await page.textContent('#workers')).toBe('2');
    expect(s.status).toBe('completed');
    const rows = await rowsOf(page);
    expect(rows.map((r) => r.k)).toEqual(Array.from({ length: 31 }, (_, k) => k));
    expect(rows[30].label).toBeLessThan(0.8 * rows[0].label);
    expect(s.gap).toBeGreaterThan(0);
    expect(s.gap).toBeLessThan(0.2);
    // W(k) gathered from the shards feeds the kernel drift (every round(K / 25) = 1 recorded step) and the heat map.
    const drift = await page.evaluate(() => (window as unknown as { pikt: { data: { drift: { k: number; drift: number }[]; heats: unknown[] } } }).pikt.data);
    expect(drift.drift.map((e) => e.k)).toEqual(Array.from({ length: 31 }, (_, k) => k));
    expect(drift.drift[0].drift).toBe(0);
    expect(drift.drift[30].drift).toBeGreaterThan(0);
    expect(drift.heats.length).toBeGreaterThan(0);
    await page.close();
  }, 150_000);

  it('a shared URL restores the same state and the same numbers', async () => {
    const a = await open('?m=64&k=40&l=2&seed=7&ds=circles');
    await a.locator('#ctl-seed').fill('11');
    await a.locator('#ctl-seed').dispatchEvent('change');
    await a.waitForFunction(() => location.search.includes('seed=11'), null, { timeout: 5_000 });
    const sa = await runToEnd(a);
    const shared = a.url();
    const stateA = await a.evaluate(() => (window as unknown as { pikt: { state: unknown } }).pikt.state);
    const b = await open(new URL(shared).search);
    const stateB = await b.evaluate(() => (window as unknown as { pikt: { state: unknown } }).pikt.state);
    expect(stateB).toEqual(stateA);
    expect(stateB).toMatchObject({ dataset: 'circles', width: 64, steps: 40, lambda: 2, seed: 11 });
    expect(await b.inputValue('#ctl-dataset')).toBe('circles');
    const sb = await runToEnd(b);
    expect(sb.finalLabel).toBe(sa.finalLabel);
    expect(sb.finalPi).toBe(sa.finalPi);
    expect(sb.gap).toBe(sa.gap);
    expect(await rowsOf(b)).toEqual(await rowsOf(a));
    // The run's JSON export carries the same numbers.
    const [download] = await Promise.all([b.waitForEvent('download'), b.click('#export-json')]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { state: unknown; summary: Summary; measured: { rows: unknown[] } };
    expect(exported.state).toEqual(stateA);
    expect(exported.summary).toEqual(sb);
    expect(exported.measured.rows).toEqual(await rowsOf(a));
    await a.close();
    await b.close();
  }, 90_000);

  it('a malformed CSV shows its line and column, and the previous state and numbers survive', async () => {
    const page = await open('?m=32&k=20');
    const before = await runToEnd(page);
    const state = await page.evaluate(() => JSON.stringify((window as unknown as { pikt: { state: unknown } }).pikt.state));
    const bad = 'x1,x2,label\n0.1,0.2,0\n0.3,abc,1\n';
    await page.setInputFiles('#csv', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.waitForFunction(() => (document.querySelector('#csv-message')?.textContent ?? '') !== '', null, { timeout: 10_000 });
    expect(await page.textContent('#csv-message')).toBe('bad.csv (record 1, line 3, column 2): non-numeric cell: expected a finite decimal number, found "abc". Fix or remove the cell (impute missing values), or set labelColumn if this column holds class names.');
    expect(await page.evaluate(() => JSON.stringify((window as unknown as { pikt: { state: unknown } }).pikt.state))).toBe(state);
    expect(await page.evaluate(() => (window as unknown as { pikt: { summary: Summary } }).pikt.summary)).toEqual(before);
    expect(await page.evaluate(() => document.body.dataset.done)).toBe('true');
    // A well-formed file then loads, switches the data set to it and trains.
    const good = ['x1,x2,label', ...Array.from({ length: 40 }, (_, i) => `${Math.cos(i)},${Math.sin(2 * i)},${i % 2 ? 'b' : 'a'}`)].join('\n');
    await page.setInputFiles('#csv', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await page.waitForFunction(() => document.querySelector('#csv-message')?.textContent === 'good.csv: 40 rows loaded.', null, { timeout: 10_000 });
    await waitReady(page);
    expect(await page.evaluate(() => (window as unknown as { pikt: { state: { dataset: string } } }).pikt.state.dataset)).toBe('csv');
    const fromCsv = await runToEnd(page);
    expect(fromCsv.steps).toBe(20);
    expect(await page.evaluate(() => (window as unknown as { pikt: { data: { setup: { n: number; nTest: number } } } }).pikt.data.setup)).toMatchObject({ n: 16, nTest: 8 });
    await page.close();
  }, 60_000);

  it('trains on webgl in the worker (OffscreenCanvas, software GL)', async () => {
    const page = await open('?be=webgl&m=256&k=30');
    const s = await runToEnd(page, 90_000);
    expect(await page.textContent('#backend')).toBe('webgl');
    expect(s.status).toBe('completed');
    const rows = await rowsOf(page);
    expect(rows[30].label).toBeLessThan(0.8 * rows[0].label);
    await page.close();
  }, 120_000);

  it('names the reason when a backend is unavailable (webgpu without --enable-unsafe-webgpu)', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}?be=webgpu`);
    await page.waitForFunction(() => (document.querySelector('#status')?.textContent ?? '').startsWith('error'), null, { timeout: 30_000 });
    expect(await page.textContent('#status')).toMatch(/^error: webgpu backend unavailable: (this browser exposes no WebGPU in workers \(navigator\.gpu is undefined\)|navigator\.gpu\.requestAdapter\(\) found no GPU adapter)$/);
    await page.close();
  });

  it('logged no console error and sent no request beyond the page\'s origin', () => {
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
