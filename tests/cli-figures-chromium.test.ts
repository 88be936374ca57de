import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { countNonWhite, decodePng, renderLinePlot } from '@pikt/cli';
import type { PlotSpec } from '@pikt/cli';

// Debian's chromium, launched as TOOLCHAIN.md says (root, no sandbox, nothing from the network).
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Structure of an SVG as Chromium's XML parser sees it. */
interface SvgFacts { parseError: string | null; xTicks: number; yTicks: number; legendItems: number; series: number; title: string }

async function inspect(browser: Browser, svg: string): Promise<{ facts: SvgFacts; png: Buffer }> {
  const page = await browser.newPage({ viewport: { width: 760, height: 440 } });
  try {
    await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
    const facts = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const err = doc.querySelector('parsererror');
      const q = (s: string) => doc.querySelectorAll(s).length;
      return {
        parseError: err ? err.textContent : null,
        xTicks: q('g.x-axis text.tick-label'),
        yTicks: q('g.y-axis text.tick-label'),
        legendItems: q('g.legend g.legend-item'),
        series: q('g.plot-area path.series'),
        title: doc.querySelector('text.title')?.textContent ?? '',
      };
    }, svg);
    const png = await page.locator('svg').screenshot();
    return { facts, png };
  } finally {
    await page.close();
  }
}

const k = Array.from({ length: 51 }, (_, i) => i * 20);
const figures: PlotSpec[] = [
  {
    title: 'training loss, measured vs predicted',
    x: { label: 'iteration k', unit: 'GD steps' },
    y: { label: 'loss', unit: '1/2 ||u - y||^2', log: true },
    series: [
      { label: 'with teacher', group: 'a', kind: 'measured', x: k, y: k.map((t) => Math.exp(-t / 200) + 1e-3) },
      { label: 'with teacher (theory)', group: 'a', kind: 'predicted', x: k, y: k.map((t) => Math.exp(-t / 210) + 1e-3) },
      { label: 'without teacher', group: 'b', kind: 'measured', x: k, y: k.map((t) => Math.exp(-t / 500)) },
    ],
  },
  {
    title: 'label error vs alpha ||z - y||',
    x: { label: 'alpha', unit: 'lambda / (1 + lambda)' },
    y: { label: 'label error', unit: '||u - y||' },
    series: [
      { label: 'measured', kind: 'measured', x: [0, 0.25, 0.5, 0.75], y: [0.01, 0.9, 1.8, 2.7] },
      { label: 'alpha ||z - y||', kind: 'predicted', x: [0, 0.25, 0.5, 0.75], y: [0, 0.9, 1.8, 2.7] },
    ],
  },
];

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`cli-figures-chromium: ${CHROMIUM} not found (apt-get install chromium, as tools/setup.sh does): these tests are skipped (in CI they run and fail).`);

describe.skipIf(!haveChromium && !process.env.CI)('figures rendered in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS }); });
  afterAll(async () => { await browser?.close(); });

  it.each(figures.map((f) => [f.title, f] as const))('%s: valid SVG with axes, legend, and a non-blank screenshot', async (_title, spec) => {
    const svg = renderLinePlot(spec);
    const { facts, png } = await inspect(browser, svg);
    expect(facts.parseError).toBeNull();
    expect(facts.title).toBe(spec.title);
    expect(facts.xTicks).toBeGreaterThanOrEqual(3);
    expect(facts.yTicks).toBeGreaterThanOrEqual(3);
    expect(facts.legendItems).toBe(spec.series.length);
    expect(facts.series).toBe(spec.series.length);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([760, 440]);
    // Plot area [78, 540] x [44, 382]: curves and grid make it far from blank; the margins hold text.
    const plotArea = countNonWhite(img, { x0: 80, y0: 46, x1: 538, y1: 380 });
    expect(plotArea).toBeGreaterThan(1500);
    expect(countNonWhite(img, { x0: 0, y0: 400, x1: 760, y1: 440 })).toBeGreaterThan(50); // x-axis label
    expect(countNonWhite(img, { x0: 556, y0: 44, x1: 760, y1: 120 })).toBeGreaterThan(100); // legend
    // The first series' colour (#0072B2) is on screen.
    let blue = 0;
    for (let p = 0; p < img.width * img.height; p++) {
      const [r, g, b] = [img.rgba[4 * p], img.rgba[4 * p + 1], img.rgba[4 * p + 2]];
      if (Math.abs(r - 0x00) < 40 && Math.abs(g - 0x72) < 40 && Math.abs(b - 0xb2) < 40) blue++;
    }
    expect(blue).toBeGreaterThan(200);
  });
});
