import { describe, expect, it } from 'vitest';
import { renderBandPlot } from './band-plot.js';

describe('renderBandPlot', () => {
  const spec = { title: 'bands', x: { label: 'lambda' }, y: { label: 'test loss' }, series: [{ label: 'theory', group: 'g', kind: 'predicted' as const, x: [0, 1, 2], y: [1, 2, 3] }] };
  it('shades mean +- sd as one polygon in the series colour under the curves, and lists the band once in the legend', () => {
    const svg = renderBandPlot(spec, [{ label: 'measured', group: 'g', x: [0, 1, 2], mean: [1, 2, 3], sd: [0.5, 0.5, 1] }]);
    const band = /<path class="band" data-label="measured" d="([^"]*)" fill="([^"]*)"/.exec(svg);
    expect(band).not.toBeNull();
    const pts = band![1].replace(/ Z$/, '').slice(1).split(' L').map((p) => p.split(' ').map(Number));
    expect(pts).toHaveLength(6);
    // Upper edge left to right, then the lower edge back: same x, the upper edge above (smaller pixel y).
    expect(pts.slice(0, 3).map((p) => p[0])).toEqual(pts.slice(3).map((p) => p[0]).reverse());
    for (let i = 0; i < 3; i++) expect(pts[i][1]).toBeLessThan(pts[5 - i][1]);
    // The band's colour is the group's (the predicted curve's) and it is drawn before every series.
    expect(svg).toContain(`stroke="${band![2]}" stroke-width="2.2" stroke-linejoin="round" stroke-dasharray="6 4"`);
    expect(svg.indexOf('class="band"')).toBeLessThan(svg.indexOf('class="series'));
    expect(svg).not.toContain('>measured (lower bound)</text>');
    expect(svg).not.toContain('>measured (upper bound)</text>');
    expect(svg.match(/class="legend-item/g)).toHaveLength(2);
    expect(svg.match(/class="series measured"/g)).toHaveLength(1);
  });
  it('keeps broken edges as lines (a gap in the data is not filled over)', () => {
    const svg = renderBandPlot({ ...spec, y: { label: 'loss', log: true } }, [{ label: 'm', x: [0, 1, 2], mean: [1, 2, 3], sd: [2, 0.5, 0.5] }]);
    expect(svg).not.toContain('class="band"');
    expect(svg).toContain('data-label="m (lower bound)"');
    expect(svg.match(/class="legend-item/g)).toHaveLength(2);
  });
});
