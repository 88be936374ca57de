import { describe, expect, it } from 'vitest';
import { benchCases } from './workloads.js';

describe('benchCases', () => {
  it('the full run: every workload at the sizes of issue 15, the long ones last', () => {
    const cases = benchCases({ quick: false });
    expect(cases.map((c) => c.key)).toEqual(['a', 'b', 'c', 'd-2000', 'd-4000', 'f', 'g1', 'e', 'g2']);
    expect(cases.find((c) => c.key === 'a')?.size).toEqual({ n: 2000, d: 784, m: 8192 });
    expect(cases.find((c) => c.key === 'c')?.size).toEqual({ n: 4000, d: 784 });
    expect(cases.find((c) => c.key === 'e')).toMatchObject({ size: { n: 50_000 }, peers: [], runs: 3, extrapolate: { from: 'd-4000', power: 3, n: 50_000 } });
    expect(cases.find((c) => c.key === 'g2')).toMatchObject({ size: { n: 1000, d: 64, m: 8192, steps: 1000, evalEvery: 7 }, peers: ['torch'], runs: 3 });
    expect(cases.filter((c) => c.runs === 5).map((c) => c.key)).toEqual(['a', 'b', 'c', 'd-2000', 'd-4000', 'f', 'g1']);
  });

  it('--quick: the smaller subset; --only picks workloads, d keeps both sizes', () => {
    expect(benchCases({ quick: true }).map((c) => c.key)).toEqual(['a', 'b', 'c', 'd-2000', 'f', 'g1']);
    expect(benchCases({ quick: true })[0].size).toEqual({ n: 1000, d: 784, m: 4096 });
    expect(benchCases({ quick: false, only: ['d', 'g1'] }).map((c) => c.key)).toEqual(['d-2000', 'd-4000', 'g1']);
    expect(benchCases({ quick: true, only: ['e', 'g2'] }).map((c) => [c.key, c.size.n, c.size.steps, c.extrapolate?.from])).toEqual([['e', 8000, undefined, 'd-2000'], ['g2', 1000, 100, undefined]]);
  });
});
