/** A small fixed report for the table and writer tests (not a measurement). */
import type { BenchReport, CaseResult } from './report.js';

export const fixtureCases: CaseResult[] = [
  {
    key: 'a', title: '(a) GD step', runs: 5,
    pikt: { id: 'pikt', status: 'ok', ms: [1900, 1860, 1800], medianMs: 1860 },
    peers: [
      { id: 'numpy', status: 'ok', ms: [190], medianMs: 190 },
      { id: 'torch', status: 'ok', ms: [260], medianMs: 260 },
    ],
    agreement: [{ peer: 'numpy', agrees: true, worstKey: 'loss', worstError: 2e-7 }, { peer: 'torch', agrees: false, worstKey: 'loss', worstError: 0.02 }],
    bestPeer: 'numpy', ratio: 1860 / 190,
  },
  {
    key: 'e', title: '(e) n=50000', runs: 3,
    pikt: { id: 'pikt', status: 'ok', ms: [181000], medianMs: 181000 },
    peers: [{ id: 'numpy', status: 'extrapolated', ms: [], medianMs: 7.2e6, reason: 'from d-4000' }],
    agreement: [], bestPeer: 'numpy', ratio: 181000 / 7.2e6,
  },
  {
    key: 'f', title: '(f) parse | MNIST', runs: 5,
    pikt: { id: 'pikt', status: 'ok', ms: [80], medianMs: 80 },
    peers: [{ id: 'numpy', status: 'not available', ms: [], reason: 'missing: numpy (No module named numpy)' }],
    agreement: [],
  },
];

export const fixtureReport: BenchReport = {
  date: '2026-12-01T19:20:05.123Z', mode: 'quick',
  machine: { cpu: 'Test CPU (avx2)', cores: 2, memoryGiB: 24, os: 'Linux 6', node: '20.20.2', wasm: 'tfjs-backend-wasm SIMD, 1 thread per backend', python: '3.11.2', numpy: '1.24.2', peerThreads: 'torch - threads, OMP/OpenBLAS 2 threads', blas: 'OpenBLAS', load: '1.00 0.50 0.25' },
  peers: { available: true },
  cases: fixtureCases, planned: 3, wallSeconds: 125.4,
};
