import type { LabeledSource } from '../labeled-data.js';

/** Pixel layout of one image: height-width-channel (MNIST, most image files) or channel-height-width (CIFAR-10). */
export type ImageLayout = 'hwc' | 'chw';

/**
 * Images with integer labels as read from disk: 8-bit pixels, row-major [n, rows * cols * channels]
 * in `layout` order, scale 1/255 when converted to float. A LabeledSource, so tasks draw from it
 * directly without converting the whole set to floats.
 */
export interface ImageSet extends LabeledSource {
  x: Uint8Array;
  classIds: Uint8Array;
  rows: number;
  cols: number;
  channels: number;
  layout: ImageLayout;
  scale: number;
  /** Files the set was read from. */
  files?: string[];
}
