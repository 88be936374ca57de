import { describe, expect, it } from 'vitest';
import { downsample, grayscale } from './image.js';

describe('downsample', () => {
  it('averages non-overlapping factor x factor blocks (4 x 4 -> 2 x 2)', () => {
    const x = Float64Array.from({ length: 16 }, (_, i) => i); // row-major 4 x 4: value = 4 r + c
    const t = downsample({ rows: 4, cols: 4, factor: 2 }).fit({ x, n: 1, d: 16 });
    // block (0, 0) = mean(0, 1, 4, 5) = 2.5; (0, 1) = mean(2, 3, 6, 7) = 4.5; ...
    expect(Array.from(t.apply({ x, n: 1, d: 16 }).x)).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it('pools each channel separately in both layouts', () => {
    // 2 x 2 image, 2 channels; channel 0 = 1, 2, 3, 4 and channel 1 = 10, 20, 30, 40.
    const chw = Float64Array.from([1, 2, 3, 4, 10, 20, 30, 40]);
    const hwc = Float64Array.from([1, 10, 2, 20, 3, 30, 4, 40]);
    expect(Array.from(downsample({ rows: 2, cols: 2, channels: 2, layout: 'chw', factor: 2 }).fit({ x: chw, n: 1, d: 8 }).apply({ x: chw, n: 1, d: 8 }).x)).toEqual([2.5, 25]);
    expect(Array.from(downsample({ rows: 2, cols: 2, channels: 2, layout: 'hwc', factor: 2 }).fit({ x: hwc, n: 1, d: 8 }).apply({ x: hwc, n: 1, d: 8 }).x)).toEqual([2.5, 25]);
  });

  it('needs a factor dividing the image and inputs of the declared size', () => {
    expect(() => downsample({ rows: 28, cols: 28, factor: 3 })).toThrow(/dividing rows \(28\) and cols \(28\)/);
    expect(() => downsample({ rows: 4, cols: 4, factor: 2 }).fit({ x: new Float64Array(15), n: 1, d: 15 })).toThrow(/rows \* cols \* channels = 16/);
    expect(() => downsample({ rows: 0, cols: 4, factor: 2 })).toThrow(/downsample\.rows/);
  });
});

describe('grayscale', () => {
  it('is the BT.601 luma 0.299 R + 0.587 G + 0.114 B', () => {
    // 1 x 2 image in chw: red plane (1, 0.5), green (0, 0.5), blue (0, 0.5)
    const x = Float64Array.from([1, 0.5, 0, 0.5, 0, 0.5]);
    const out = grayscale({ rows: 1, cols: 2 }).fit({ x, n: 1, d: 6 }).apply({ x, n: 1, d: 6 }).x;
    expect(out[0]).toBeCloseTo(0.299, 15);
    expect(out[1]).toBeCloseTo(0.5, 15);
    const hwc = Float64Array.from([0, 0, 1, 0, 1, 0]); // blue pixel, green pixel
    expect(Array.from(grayscale({ rows: 1, cols: 2, layout: 'hwc' }).fit({ x: hwc, n: 1, d: 6 }).apply({ x: hwc, n: 1, d: 6 }).x)).toEqual([0.114, 0.587]);
  });
});
