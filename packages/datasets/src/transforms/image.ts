import { InvalidOptionError } from '@pikt/core';
import { makeTransform, type StatefulTransform } from './transform.js';

export type ImageShapeOptions = {
  rows: number;
  cols: number;
  /** Channels per pixel (default 1). */
  channels?: number;
  /** 'hwc' (MNIST-like, default) or 'chw' (CIFAR-10 planes). */
  layout?: 'hwc' | 'chw';
};

function checkShape(o: ImageShapeOptions, name: string): { rows: number; cols: number; channels: number; layout: 'hwc' | 'chw' } {
  const channels = o.channels ?? 1;
  const layout = o.layout ?? 'hwc';
  for (const [field, v] of [['rows', o.rows], ['cols', o.cols], ['channels', channels]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InvalidOptionError(`${name}.${field}`, v, 'a positive integer');
  }
  if (layout !== 'hwc' && layout !== 'chw') throw new InvalidOptionError(`${name}.layout`, layout, '"hwc" or "chw"');
  return { rows: o.rows, cols: o.cols, channels, layout };
}

/** Index of pixel (r, c), channel ch in a flattened image. */
function at(layout: 'hwc' | 'chw', rows: number, cols: number, channels: number, r: number, c: number, ch: number): number {
  return layout === 'hwc' ? (r * cols + c) * channels + ch : (ch * rows + r) * cols + c;
}

export type DownsampleOptions = ImageShapeOptions & {
  /** Block size: each factor x factor block becomes its mean (rows and cols must be multiples). */
  factor: number;
};

/**
 * Average pooling of non-overlapping factor x factor blocks, per channel:
 * out(R, C) = mean over 0 <= a, b < factor of in(R factor + a, C factor + b). 28 x 28 -> 7 x 7
 * with factor 4 is the low-resolution input of Lopez-Paz et al. (2016), section 4.2.
 */
export function downsample(options: DownsampleOptions): StatefulTransform<DownsampleOptions, true> {
  const { rows, cols, channels, layout } = checkShape(options, 'downsample');
  const f = options.factor;
  if (!Number.isInteger(f) || f < 1 || rows % f !== 0 || cols % f !== 0) {
    throw new InvalidOptionError('downsample.factor', f, `a positive integer dividing rows (${rows}) and cols (${cols})`);
  }
  const R = rows / f;
  const C = cols / f;
  const d = rows * cols * channels;
  const outD = R * C * channels;
  return makeTransform<DownsampleOptions, true>('downsample', { rows, cols, channels, layout, factor: f }, {
    fit: (m) => {
      if (m.d !== d) throw new InvalidOptionError('downsample input dimension', m.d, `rows * cols * channels = ${d}`);
      return true;
    },
    apply: (_s, { x, n }) => {
      const out = new Float64Array(n * outD);
      const inv = 1 / (f * f);
      for (let i = 0; i < n; i++) {
        const src = i * d;
        const dst = i * outD;
        for (let ch = 0; ch < channels; ch++) {
          for (let r = 0; r < R; r++) {
            for (let c = 0; c < C; c++) {
              let s = 0;
              for (let a = 0; a < f; a++) for (let b = 0; b < f; b++) s += x[src + at(layout, rows, cols, channels, r * f + a, c * f + b, ch)];
              out[dst + at(layout, R, C, channels, r, c, ch)] = s * inv;
            }
          }
        }
      }
      return { x: out, d: outD };
    },
  });
}

export type GrayscaleOptions = {
  rows: number;
  cols: number;
  /** Layout of the 3-channel RGB input (default 'chw', as CIFAR-10 stores it). */
  layout?: 'hwc' | 'chw';
};

/** ITU-R BT.601 luma: Y = 0.299 R + 0.587 G + 0.114 B, one channel out (rows * cols values). */
export function grayscale(options: GrayscaleOptions): StatefulTransform<GrayscaleOptions, true> {
  const { rows, cols, layout } = checkShape({ ...options, channels: 3, layout: options.layout ?? 'chw' }, 'grayscale');
  const d = rows * cols * 3;
  return makeTransform<GrayscaleOptions, true>('grayscale', { rows, cols, layout }, {
    fit: (m) => {
      if (m.d !== d) throw new InvalidOptionError('grayscale input dimension', m.d, `rows * cols * 3 = ${d}`);
      return true;
    },
    apply: (_s, { x, n }) => {
      const p = rows * cols;
      const out = new Float64Array(n * p);
      for (let i = 0; i < n; i++) {
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const red = x[i * d + at(layout, rows, cols, 3, r, c, 0)];
            const green = x[i * d + at(layout, rows, cols, 3, r, c, 1)];
            const blue = x[i * d + at(layout, rows, cols, 3, r, c, 2)];
            out[i * p + r * cols + c] = 0.299 * red + 0.587 * green + 0.114 * blue;
          }
        }
      }
      return { x: out, d: p };
    },
  });
}
