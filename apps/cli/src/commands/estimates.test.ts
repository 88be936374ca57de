import { describe, expect, it } from 'vitest';
import { ANALYSIS_FLOPS_PER_SECOND, analysisEstimate, checkEstimate, studentEstimate, WASM_TENSOR_LIMIT } from './estimates.js';

const GiB = 1024 ** 3;

describe('work estimates', () => {
  it('analysis: 8 (4 n^2 + ...) bytes and (10 n^3 + 2 n^2 d) flops at the stated rate', () => {
    const e = analysisEstimate(1000, 10);
    expect(e.hostBytes).toBe(8 * (4 * 1000 ** 2 + 1000 * 10));
    expect(e.seconds).toBeCloseTo((10 * 1e9 + 2 * 1e6 * 10) / ANALYSIS_FLOPS_PER_SECOND, 12);
  });

  it('an analyze of 23000 rows warns with the estimate (about an hour) where the memory is there, and is refused where it is not', () => {
    const e = { what: 'The analysis of n = 23000 samples', ...analysisEstimate(23000, 10), tensorBytes: 0, flags: 'the number of rows of --x' };
    expect(e.seconds).toBeGreaterThan(3600);
    expect(checkEstimate(e, undefined, 64 * GiB)).toBe('[PIKT_LONG_WORK] The analysis of n = 23000 samples is estimated at about 1.1 hours on this machine; lower the number of rows of --x for a quicker run (Ctrl-C stops it).');
    expect(() => checkEstimate(e, undefined, 8 * GiB)).toThrow('The analysis of n = 23000 samples would need about 15.8 GiB of memory, more than the 8.0 GiB available. Lower the number of rows of --x (memory grows with them; nothing was computed).');
    expect(checkEstimate({ ...e, ...analysisEstimate(2000, 10) }, undefined, 64 * GiB)).toBeUndefined();
  });

  it('student: six [n, m] float32 activations plus four [m, d] parameter-sized tensors; wasm is capped at 2 GiB of tensors', () => {
    const s = studentEstimate(1000, 128, 1e8, 6, 'wasm');
    expect(s.tensorBytes).toBe(4 * (6 * 1000 * 1e8 + 4 * 1e8 * 128 + 1000 * 128));
    expect(s.seconds).toBeCloseTo((6 * 1000 * 1e8 * 128 * 6) / 25e9, 6);
    const e = { what: 'x', hostBytes: 0, tensorBytes: WASM_TENSOR_LIMIT + 1, seconds: 0, flags: '--m' };
    expect(() => checkEstimate(e, 'wasm', 64 * GiB)).toThrow(/of tensors \(the wasm backend holds at most ~2 GiB of live tensors in its 4 GiB heap\), more than the 2\.0 GiB/);
    expect(checkEstimate(e, 'cpu', 64 * GiB)).toBeUndefined();
  });
});
