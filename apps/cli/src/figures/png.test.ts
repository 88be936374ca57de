import { describe, expect, it } from 'vitest';
import { svgToPng } from './png.js';
import { countNonWhite, decodePng } from './png-decode.js';
import { renderLinePlot } from './svg-plot.js';

describe('svgToPng', () => {
  it('rasterizes a plot: curve pixels in the plot area, text pixels in the title band', async () => {
    const svg = renderLinePlot({
      title: 'A straight line',
      x: { label: 'x', unit: 'steps' },
      y: { label: 'y', unit: 'loss' },
      series: [{ label: 'measured', kind: 'measured', x: [0, 1], y: [0, 1], markers: false }],
    });
    const { png, width, height, warning } = await svgToPng(svg, { scale: 1 });
    expect([width, height]).toEqual([760, 440]);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([760, 440]);
    // The midpoint of the drawn line is curve-blue (#0072B2).
    const [x0, y0, x1, y1] = /d="M([\d.]+) ([\d.]+) L([\d.]+) ([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    const o = (Math.round((y0 + y1) / 2) * img.width + Math.round((x0 + x1) / 2)) * 4;
    expect(img.rgba[o + 2]).toBeGreaterThan(120);
    expect(img.rgba[o]).toBeLessThan(100);
    // A blank corner stays white.
    expect(countNonWhite(img, { x0: 0, y0: 0, x1: 40, y1: 30 })).toBe(0);
    if (warning) {
      console.warn(`svgToPng: ${warning} (title text not checked)`);
    } else {
      // The title is drawn at y ~ 26 around x = 319.
      expect(countNonWhite(img, { x0: 200, y0: 10, x1: 440, y1: 32 })).toBeGreaterThan(100);
    }
  });
});

describe('decodePng', () => {
  it('rejects what is not a PNG', () => {
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG/);
  });
});
