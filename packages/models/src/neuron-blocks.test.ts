import { describe, expect, it } from 'vitest';
import { planNeuronBlocks } from './neuron-blocks.js';

describe('planNeuronBlocks', () => {
  it('covers every neuron once, in order, with mirrored cuts in both halves', () => {
    const blocks = planNeuronBlocks(10, 4, 3);
    expect(blocks.map((b) => [b.start, b.size, b.half])).toEqual([
      [0, 3, 0], [3, 2, 0], [5, 3, 1], [8, 2, 1],
    ]);
  });
  it('handles odd widths (the first half gets the extra neuron)', () => {
    const blocks = planNeuronBlocks(5, 1, 0);
    expect(blocks.map((b) => [b.start, b.size, b.half])).toEqual([[0, 3, 0], [3, 2, 1]]);
  });
  it('shrinks blocks so one [batch, block] tensor stays under 2^25 elements', () => {
    const blocks = planNeuronBlocks(100_000, 20_000, 4096);
    expect(Math.max(...blocks.map((b) => b.size)) * 20_000).toBeLessThanOrEqual(2 ** 25);
    expect(blocks.reduce((s, b) => s + b.size, 0)).toBe(100_000);
  });
});
