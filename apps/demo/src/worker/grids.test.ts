import { describe, expect, it } from 'vitest';
import { planeGrid, subsampleOrder, submatrix } from './grids.js';

describe('view sampling', () => {
  it('subsamples evenly and puts class -1 first', () => {
    expect(subsampleOrder([1, -1, -1, 1, 1, -1, -1, 1], 4)).toEqual([2, 6, 0, 4]);
    expect(subsampleOrder([1, -1], 48)).toEqual([1, 0]);
  });

  it('takes H[order, order]', () => {
    const H = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    expect(submatrix(H, 3, [2, 0])).toEqual([8, 6, 2, 0]);
  });

  it('lays the grid over the widened bounding box, top row first', () => {
    const g = planeGrid([0, 0, 1, 2], 2);
    expect(g.box).toEqual([-0.15, 1.15, -0.3, 2.3]);
    expect(Array.from(g.points)).toEqual([0.175, 1.65, 0.825, 1.65, 0.175, 0.35, 0.825, 0.35].map((v, i) => (i % 2 ? v : v)).map((v) => expect.closeTo(v, 12) as unknown as number));
  });
});
