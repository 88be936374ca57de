import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { COMMANDS, countNonWhite, createRunExecutor, decodePng, getPreset, runCli, studentRunSpec, taskConfigFor, teacherSpecFor } from '@pikt/cli';
import type { ReproduceConfig, ResultsFile } from '@pikt/cli';
import { createPiPredictor, hinf } from '@pikt/ntk';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const dir = mkdtempSync(join(tmpdir(), 'pikt-reproduce-'));
let stdout = '';
let stderr = '';
let code = -1;
let results: ResultsFile;

beforeAll(async () => {
  code = await runCli(['reproduce', '--preset', 'tiny', '--out', dir, '--json'], COMMANDS, {
    isTTY: false, stdout: { write: (s: string) => { stdout += s; } }, stderr: { write: (s: string) => { stderr += s; } },
  });
  results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
}, 300_000);

const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('pikt reproduce --preset tiny, end to end', () => {
  it('exits 0 and writes results.json in the issue-5 shape with every E1-E6 run', () => {
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { computed: string[]; reused: string[] };
    expect(summary.reused).toEqual([]);
    expect(results.version).toBe(1);
    expect(results.environment).toMatchObject({ backend: 'wasm', node: process.version, linalgKernels: 'wasm-simd' });
    expect(results.environment.linalgKernelsReason).toBeUndefined();
    expect(Object.keys(results.experiments)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']);
    const preset = getPreset('tiny');
    expect(results.config.preset).toEqual(preset);
    for (const e of Object.values(results.experiments)) {
      for (const r of e.runs) {
        expect(Object.keys(r.params).sort()).toEqual(['alpha', 'embedding', 'lambda', 'regularizer', 'teacher', 'width']);
        expect(typeof r.measured).toBe('object');
        expect(typeof r.predicted).toBe('object');
      }
    }
    expect(summary.computed).toHaveLength(Object.values(results.experiments).reduce((s, e) => s + e.runs.length, 0));
  });

  it('has predicted numbers equal to the ntk predictor\'s own output for the same inputs (E2 sweep)', async () => {
    const config = results.config as unknown as ReproduceConfig;
    const preset = config.preset;
    expect(config.task).toEqual(taskConfigFor(preset, 'mnist'));
    const ex = createRunExecutor();
    const task = await ex.task(config.task);
    const teacher = await ex.teacher(config.task, teacherSpecFor(preset, 'strong'));
    // The predictor fed directly: Hinf of the task inputs (computed here), labels, the teacher's z.
    const H = hinf(task.x, null, { inputDim: task.d, onWarning: () => undefined }).data;
    const Ht = hinf(task.xTest, task.x, { inputDim: task.d, onWarning: () => undefined }).data;
    let checked = 0;
    for (const run of results.experiments.E2.runs.filter((r) => !r.label.includes('above-bound'))) {
      const lambda = run.params.lambda as number;
      const z = lambda > 0 ? teacher!.z : task.y;
      const probe = createPiPredictor({ gram: H, y: task.y, z, lambda, eta: 1, onWarning: () => undefined });
      const eta = preset.stepScale / ((1 + lambda) * probe.basis.values[0]);
      const p = createPiPredictor({ basis: probe.basis, y: task.y, z, lambda, eta, test: { gram: Ht, y: task.yTest } });
      const K = preset.steps;
      const uK = p.trajectory(K);
      expect(rel(run.predicted.labelErrorFinal!, dist(uK, task.y))).toBeLessThan(1e-9);
      expect(rel(run.predicted.testLoss!, p.testMetrics(K).mse / 2)).toBeLessThan(1e-9);
      expect(run.predicted.testAccuracy).toBeCloseTo(p.testMetrics(K).accuracy, 12);
      expect(rel(run.predicted.capacity!, p.weightDistance(K))).toBeLessThan(1e-9);
      expect(rel(run.predicted.capacityInf!, p.capacity().value)).toBeLessThan(1e-9);
      expect(run.predicted.iterationsToEps).toBe(p.iterationsToEps(preset.eps).withTeacher);
      expect(rel(run.predicted.stabilityBound!, p.stability.etaMax)).toBeLessThan(1e-9);
      expect(run.predicted.labelErrorInf).toBeCloseTo((lambda / (1 + lambda)) * dist(z, task.y), 9);
      expect(rel(run.measured.learningRate!, eta)).toBeLessThan(1e-9);
      // The predicted curve in results.json is the predictor's loss curve at the same steps.
      const ks = run.curves!.k;
      const curve = p.lossCurves(ks).label;
      run.curves!.labelLossPredicted.forEach((v, i) => expect(rel(v, curve[i])).toBeLessThan(1e-9));
      checked += 1;
    }
    expect(checked).toBe(preset.lambdas.length);
    // The run spec the test rebuilt is the one the executor used.
    const knobs = { lambda: 0, width: preset.width, embedding: 'raw', regularizer: 'quadratic' };
    expect(studentRunSpec(preset, config.task, knobs)).toMatchObject({ steps: preset.steps, optimizer: { stepScale: preset.stepScale, lambda: 0 }, terms: [{ id: 'label-fit' }] });
  });

  it('has measured numbers consistent with the recorded curves and across experiments', () => {
    for (const e of Object.values(results.experiments)) {
      for (const r of e.runs.filter((x) => !x.label.includes('above-bound'))) {
        const last = r.curves!.labelLossMeasured.at(-1)!;
        expect(rel(last, 0.5 * r.measured.labelErrorFinal! ** 2)).toBeLessThan(1e-9);
        expect(r.measured.kernelDrift).toBeGreaterThan(0);
        expect(r.measured.trajectoryGap === undefined || r.measured.trajectoryGap >= 0).toBe(true);
      }
    }
    // E1 without teacher and E2 lambda=0 are the same run.
    const a = results.experiments.E1.runs.find((r) => r.label === 'without-teacher')!;
    const b = results.experiments.E2.runs.find((r) => r.label === 'lambda=0')!;
    expect(b.measured).toEqual(a.measured);
    // Wider students stay closer to the kernel regime (P8): less drift at the largest width.
    const e5 = results.experiments.E5.runs;
    expect(e5.at(-1)!.measured.kernelDrift!).toBeLessThan(e5[0].measured.kernelDrift!);
    // Predicting on each run's own H(W(0)) removes the finite-width error at initialization: that
    // gap is below the gap against Hinf at every width and falls as m grows.
    for (const r of e5) expect(r.measured.trajectoryGapInit!).toBeLessThan(r.measured.trajectoryGap!);
    for (let i = 1; i < e5.length; i++) expect(e5[i].measured.trajectoryGapInit!).toBeLessThan(e5[i - 1].measured.trajectoryGapInit!);
  });

  it('writes report.md and a self-contained report.html with every figure as SVG and PNG', () => {
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const id of ['E1', 'E2', 'E3', 'E4', 'E5', 'E6']) expect(md).toContain(`## ${id}: `);
    const figures = [...md.matchAll(/!\[[^\]]*\]\((figures\/[^)]+\.svg)\)/g)].map((m) => m[1]);
    expect(figures.length).toBeGreaterThanOrEqual(16);
    for (const f of figures) {
      expect(existsSync(join(dir, f))).toBe(true);
      const png = decodePng(readFileSync(join(dir, f.replace(/\.svg$/, '.png'))));
      expect(countNonWhite(png)).toBeGreaterThan(5000);
    }
    expect(html).not.toMatch(/https?:\/\/|<script|<link|src=/);
    expect((html.match(/<svg /g) ?? []).length).toBe(figures.length);
    expect(md).toMatch(/P4 \[with-teacher\] (holds|does not hold): measured [0-9.e-]+ vs predicted [0-9.e-]+, a gap of/);
  });

  const haveChromium = existsSync(CHROMIUM);
  if (!haveChromium) console.warn(`cli-reproduce: ${CHROMIUM} not found (apt-get install chromium): the Chromium figure check is skipped (in CI it runs and fails).`);
  describe.skipIf(!haveChromium && !process.env.CI)('in headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => { browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS }); });
    afterAll(async () => { await browser?.close(); });

    it('report.html shows every figure: parsed SVG with axes and legend, non-blank screenshot', async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.goto(`file://${join(dir, 'report.html')}`);
      const facts = await page.$$eval('figure svg', (svgs) => svgs.map((s) => ({
        x: s.querySelectorAll('g.x-axis text.tick-label').length,
        y: s.querySelectorAll('g.y-axis text.tick-label').length,
        legend: s.querySelectorAll('g.legend g.legend-item').length,
        series: s.querySelectorAll('path.series').length,
      })));
      expect(facts.length).toBeGreaterThanOrEqual(16);
      for (const f of facts) {
        expect(f.x).toBeGreaterThanOrEqual(2);
        expect(f.y).toBeGreaterThanOrEqual(2);
        expect(f.legend).toBeGreaterThanOrEqual(1);
        expect(f.series).toBe(f.legend);
      }
      const figs = page.locator('figure svg');
      for (let i = 0; i < facts.length; i++) {
        const img = decodePng(await figs.nth(i).screenshot());
        // Plot area of the 760 x 440 figure (drawn at its natural size): pixels darker than the light
        // grid (threshold 60) are curves and markers, at least a line's worth of them.
        expect(countNonWhite(img, { x0: 80, y0: 46, x1: 538, y1: 380 }, 60), `figure ${i}`).toBeGreaterThan(200);
      }
      await page.close();
    });
  });
});
