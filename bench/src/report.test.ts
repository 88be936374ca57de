import { describe, expect, it } from 'vitest';
import { bestPeerRatio, formatMarkdown, formatRatio, formatSeconds, formatTextTable } from './report.js';
import { fixtureCases, fixtureReport } from './report-fixture.js';

describe('formatting', () => {
  it('seconds in ms, s and h at three significant figures or so', () => {
    expect([0.000512, 0.123, 0.19, 1.864, 54.26, 181.4, 7200].map(formatSeconds)).toEqual(['0.512 ms', '123 ms', '190 ms', '1.86 s', '54.3 s', '181 s', '2.0 h']);
    expect(formatSeconds(NaN)).toBe('-');
  });

  it('ratios: two significant digits below 10, one decimal above', () => {
    expect([9.789, 0.3512, 12.94, 1].map(formatRatio)).toEqual(['9.8', '0.35', '12.9', '1.0']);
    expect(formatRatio(undefined)).toBe('-');
  });

  it('pikt over the fastest peer with a time; none without one', () => {
    const pikt = { id: 'pikt', status: 'ok' as const, ms: [], medianMs: 300 };
    expect(bestPeerRatio(pikt, [{ id: 'numpy', status: 'ok', ms: [], medianMs: 200 }, { id: 'torch', status: 'ok', ms: [], medianMs: 100 }])).toEqual({ bestPeer: 'torch', ratio: 3 });
    expect(bestPeerRatio(pikt, [{ id: 'numpy', status: 'not available', ms: [] }])).toEqual({});
    expect(bestPeerRatio({ ...pikt, medianMs: undefined }, [{ id: 'numpy', status: 'ok', ms: [], medianMs: 2 }])).toEqual({ bestPeer: 'numpy' });
  });
});

describe('tables', () => {
  it('text table: aligned columns, extrapolated and not-available peers named, agreement per peer', () => {
    expect(formatTextTable(fixtureCases)).toBe([
      'workload           runs  pikt    NumPy                 PyTorch  pikt / best peer  agrees',
      '-----------------  ----  ------  --------------------  -------  ----------------  ---------------------------------------------',
      '(a) GD step        5     1.86 s  190 ms                260 ms   9.8 (vs NumPy)    yes (NumPy loss 2e-7), NO (PyTorch loss 2e-2)',
      '(e) n=50000        3     181 s   2.0 h (extrapolated)           0.025 (vs NumPy)  -',
      '(f) parse | MNIST  5     80 ms   not available                  -                 -',
    ].join('\n'));
  });

  it('Markdown: heading, machine, the table with | escaped, notes on what did not run', () => {
    expect(formatMarkdown(fixtureReport)).toBe(`# pnpm bench --quick: 2026-12-01T19:20:05.123Z

Machine: Test CPU (avx2), 2 cores, 24 GiB; Linux 6; Node 20.20.2, tfjs-backend-wasm SIMD, 1 thread per backend; Python 3.11.2, NumPy 1.24.2, PyTorch not available (torch - threads, OMP/OpenBLAS 2 threads, OpenBLAS); load average at start 1.00 0.50 0.25.

| workload | runs | pikt | NumPy | PyTorch | pikt / best peer | agrees |
|---|---|---|---|---|---|---|
| (a) GD step | 5 | 1.86 s | 190 ms | 260 ms | 9.8 (vs NumPy) | yes (NumPy loss 2e-7), NO (PyTorch loss 2e-2) |
| (e) n=50000 | 3 | 181 s | 2.0 h (extrapolated) |  | 0.025 (vs NumPy) | - |
| (f) parse \\| MNIST | 5 | 80 ms | not available |  | - | - |

Times are medians of the runs shown, pikt and its peers alternating; "agrees" compares each result with the peer's within the stated tolerance (worst relative error shown). Wall time of the whole run: 125 s.

e NumPy: extrapolated: from d-4000

f NumPy: not available: missing: numpy (No module named numpy)
`);
  });
});
