import { describe, expect, it } from 'vitest';
import { renderLinePlot } from './svg-plot.js';
import type { PlotSpec } from './svg-plot.js';

const spec: PlotSpec = {
  title: 'E1: training loss <with & without> teacher',
  x: { label: 'iteration k', unit: 'GD steps' },
  y: { label: 'loss', unit: '1/2 ||u - y||^2', log: true },
  series: [
    { label: 'with teacher', group: 'with', kind: 'measured', x: [0, 50, 100], y: [1, 0.1, 0.01] },
    { label: 'with teacher (theory)', group: 'with', kind: 'predicted', x: [0, 50, 100], y: [1, 0.12, 0.012] },
    { label: 'without teacher', group: 'without', kind: 'measured', x: [0, 50, 100], y: [1, NaN, 0.3] },
  ],
};

/** Every opened element is closed in order: a cheap well-formedness check (Chromium parses it in tests/). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') { if (stack.pop() !== m[2]) return false; } else stack.push(m[2]);
  }
  return stack.length === 0;
}

describe('renderLinePlot', () => {
  const svg = renderLinePlot(spec);

  it('is deterministic and well formed', () => {
    expect(renderLinePlot(spec)).toBe(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(balanced(svg)).toBe(true);
    expect(svg).toContain('&lt;with &amp; without&gt;');
    expect(svg).not.toContain('<with');
  });

  it('has both axes with tick labels, units, a title and a legend entry per series', () => {
    expect(svg).toMatch(/<g class="axis x-axis"/);
    expect(svg).toMatch(/<g class="axis y-axis"/);
    expect(svg).toContain('iteration k [GD steps]');
    expect(svg).toContain('loss [1/2 ||u - y||^2] (log scale)');
    expect((svg.match(/class="legend-item /g) ?? []).length).toBe(3);
    const yLabels = [...svg.matchAll(/<text class="tick-label"[^>]*text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(yLabels).toEqual(['0.01', '0.02', '0.05', '0.1', '0.2', '0.5', '1']);
    const xLabels = [...svg.matchAll(/<text class="tick-label"[^>]*text-anchor="middle">([^<]+)</g)].map((m) => m[1]);
    expect(xLabels).toEqual(['0', '20', '40', '60', '80', '100']);
  });

  it('draws predicted dashed, measured solid, same colour within a group', () => {
    const paths = [...svg.matchAll(/<path class="series (\w+)" data-label="([^"]+)" d="([^"]+)"[^>]*stroke="(#[0-9A-F]+)"([^>]*)>/g)];
    expect(paths.map((p) => p[2])).toEqual(['with teacher (theory)', 'with teacher', 'without teacher']);
    const [pred, meas, other] = paths;
    expect(pred[5]).toContain('stroke-dasharray');
    expect(meas[5]).not.toContain('stroke-dasharray');
    expect(pred[4]).toBe(meas[4]);
    expect(other[4]).not.toBe(meas[4]);
  });

  it('maps data to pixels on a log axis and breaks lines at non-finite points', () => {
    // Plot area: x in [78, 540] for k in [0, 100]; y in [382, 44] for log10 loss in [-2, 0].
    const d = /data-label="with teacher" d="([^"]+)"/.exec(svg)![1];
    expect(d).toBe('M78 44 L309 213 L540 382');
    const broken = /data-label="without teacher" d="([^"]+)"/.exec(svg)![1];
    expect(broken.match(/M/g)!.length).toBe(2);
  });

  it('drops non-positive values on a log axis and says "no data" when nothing is left', () => {
    const empty = renderLinePlot({ ...spec, series: [{ label: 'zero', kind: 'measured', x: [0, 1], y: [0, -1] }] });
    expect(empty).toContain('no data');
    expect(balanced(empty)).toBe(true);
  });

  it('draws a band (mean +- sd) under the lines, from the upper edge back along the lower, and widens the y range to hold it', () => {
    const banded = renderLinePlot({
      title: 'bands', x: { label: 'k' }, y: { label: 'loss' },
      series: [{ label: 'mean', kind: 'measured', x: [0, 10], y: [2, 1], band: { lower: [1.5, 0.5], upper: [2.5, 4] } }],
    });
    const band = banded.match(/<path class="band measured" data-label="mean" d="([^"]+)" fill="#0072B2" fill-opacity="0.18" stroke="none"\/>/);
    expect(band).not.toBeNull();
    // Plot area x: 78..540; y: 44..382 with the y ticks spanning the band's 0.5..4 (not the line's 1..2).
    const pts = [...(band as RegExpMatchArray)[1].matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(pts).toHaveLength(4);
    expect(pts[0][0]).toBe(78);
    expect(pts[1][0]).toBe(540);
    expect(pts[2][0]).toBe(540);
    expect(pts[3][0]).toBe(78);
    expect(pts[1][1]).toBeLessThan(pts[2][1]); // upper edge above the lower (SVG y grows downwards)
    expect(banded.indexOf('class="band')).toBeLessThan(banded.indexOf('class="series'));
    expect(banded).toContain('shaded: mean +- sd over seeds');
    expect(renderLinePlot(spec)).not.toContain('class="band');
  });
});
