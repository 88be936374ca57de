import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTextTable } from './report.js';
import { extrapolate, runCase, type SideCommands } from './run-case.js';
import { parseTotal } from './workloads/large-n.js';
import type { BenchCase } from './workloads.js';

// A fake side speaking the protocol: ready, then per `run` the next of its scripted replies.
const dir = mkdtempSync(join(tmpdir(), 'pikt-bench-case-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FAKE = join(dir, 'fake.mjs');
writeFileSync(FAKE, `
import { createInterface } from 'node:readline';
const replies = JSON.parse(process.argv[2]);
if (replies === 'crash') { console.error('boom: setup failed'); process.exit(3); }
console.log('a progress line');
console.log('@@' + JSON.stringify({ ready: true, info: { who: process.argv[3], ...(process.argv[3] === 'pikt' ? { note: 'pikt on 1 thread' } : {}) } }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'quit') break;
  console.log('@@' + JSON.stringify(replies.shift()));
}
`);
const fake = (replies: unknown, who: string) => ({ cmd: process.execPath, args: [FAKE, JSON.stringify(replies), who] });
const CASE: BenchCase = { key: 'a', workload: 'a', kind: 'gd-step', title: '(a) test', size: {}, peers: ['numpy', 'torch'], runs: 3, tolerances: { loss: { rel: 1e-4 } } };
const PEERS = { available: true, numpy: '1.24.2', torch: '1.13.0' };

describe('runCase', () => {
  it('alternates the sides, takes medians, compares the answers and prints progress', async () => {
    const commands: SideCommands = {
      pikt: () => fake([{ ms: 300, check: { loss: 1 } }, { ms: 100, check: { loss: 1 } }, { ms: 200, check: { loss: 1 } }], 'pikt'),
      peer: (_c, p) => fake(p === 'numpy'
        ? [{ ms: 50, check: { loss: 1 } }, { ms: 40, check: { loss: 1 } }, { ms: 60, check: { loss: 1.00001 } }]
        : [{ ms: 10, check: { loss: 2 } }, { ms: 10, check: { loss: 2 } }, { ms: 10, check: { loss: 2 } }], p),
    };
    const log: string[] = [];
    const r = await runCase(CASE, 1, 2, PEERS, commands, (l) => log.push(l));
    expect(r.pikt).toMatchObject({ status: 'ok', ms: [300, 100, 200], medianMs: 200, info: { who: 'pikt' } });
    expect(r.title).toBe('(a) test [pikt on 1 thread]');
    expect(r.peers.map((p) => [p.id, p.medianMs])).toEqual([['numpy', 50], ['torch', 10]]);
    // The fastest peer is wrong: its ratio is still shown, and the agrees column says NO for it.
    expect(r.bestPeer).toBe('torch');
    expect(r.ratio).toBe(20);
    expect(r.agreement.map((a) => [a.peer, a.agrees])).toEqual([['numpy', true], ['torch', false]]);
    expect(log).toEqual([
      '\n[1/2] (a) test: setting up', '    a progress line', '    numpy: a progress line', '    torch: a progress line',
      '  a run 1 of 3: pikt 300 ms, NumPy 50 ms, PyTorch 10 ms', '  a run 2 of 3: pikt 100 ms, NumPy 40 ms, PyTorch 10 ms', '  a run 3 of 3: pikt 200 ms, NumPy 60 ms, PyTorch 10 ms',
    ]);
  });

  it('peers not available: pikt is timed alone, the table says "not available", no ratio', async () => {
    const commands: SideCommands = { pikt: () => fake([{ ms: 5, check: { loss: 1 } }, { ms: 7, check: { loss: 1 } }, { ms: 6, check: { loss: 1 } }], 'pikt'), peer: () => { throw new Error('no peer may start'); } };
    const r = await runCase(CASE, 1, 1, { available: false, reason: 'missing: numpy, torch; not installing (--no-install)' }, commands, () => {});
    expect(r.pikt.medianMs).toBe(6);
    expect(r.peers).toEqual([
      { id: 'numpy', status: 'not available', ms: [], reason: 'missing: numpy, torch; not installing (--no-install)' },
      { id: 'torch', status: 'not available', ms: [], reason: 'missing: numpy, torch; not installing (--no-install)' },
    ]);
    expect(r.ratio).toBeUndefined();
    expect(formatTextTable([r]).split('\n')[2]).toBe('(a) test [pikt on 1 thread]  3     6 ms  not available  not available  -                 -');
  });

  it('a side that dies in setup is "failed" with its stderr, the others still run', async () => {
    const commands: SideCommands = { pikt: () => fake([{ ms: 5, check: { loss: 1 } }], 'pikt'), peer: (_c, p) => (p === 'numpy' ? fake('crash', p) : fake([{ ms: 1, check: { loss: 1 } }], p)) };
    const r = await runCase({ ...CASE, runs: 1 }, 1, 1, PEERS, commands, () => {});
    expect(r.peers[0]).toMatchObject({ id: 'numpy', status: 'failed' });
    expect(r.peers[0].reason).toMatch(/exited \(code 3\): boom: setup failed$/);
    expect(r.peers[1]).toMatchObject({ id: 'torch', status: 'ok', medianMs: 1 });
    expect(r.agreement).toEqual([{ peer: 'torch', agrees: true, worstKey: 'loss', worstError: 0 }]);
  });
});

describe('(e) extrapolation and the large-n output', () => {
  it('NumPy at n from its n=4000 time times (n/4000)^3, the measured exponent noted', () => {
    const done = [2000, 4000].map((n, i) => ({ key: `d-${n}`, title: '', runs: 1, pikt: { id: 'pikt', status: 'ok' as const, ms: [] }, agreement: [],
      peers: [{ id: 'numpy', status: 'ok' as const, ms: [], medianMs: [1000, 7000][i] }] }));
    const c: BenchCase = { key: 'e', workload: 'e', kind: 'large-n', title: '', size: { n: 50_000 }, peers: [], runs: 1, tolerances: {}, extrapolate: { from: 'd-4000', power: 3, n: 50_000 } };
    const r = { key: 'e', title: '', runs: 1, pikt: { id: 'pikt', status: 'ok' as const, ms: [100_000], medianMs: 100_000 }, peers: [], agreement: [] };
    extrapolate(c, r, done);
    expect(r.peers).toEqual([{ id: 'numpy', status: 'extrapolated', ms: [], medianMs: 7000 * 12.5 ** 3,
      reason: "NumPy eigh route measured at n=4000 (7.00 s) times (50000/4000)^3; measured exponent between n=2000 and 4000: 2.81; H alone would need 19 GiB" }]);
    expect((r as { ratio?: number }).ratio).toBeCloseTo(100_000 / (7000 * 12.5 ** 3), 12);
    const alone = { ...r, peers: [] };
    extrapolate(c, alone, []);
    expect(alone.peers).toEqual([{ id: 'numpy', status: 'not available', ms: [], reason: "not extrapolated: NumPy's d-4000 case did not run in this run (run with d)" }]);
  });

  it('reads the TOTAL line of packages/ntk/bench/large-n.bench.ts', () => {
    expect(parseTotal('x\nTOTAL n=50000: 181.2 s wall, 300.5 s cpu; rss 5.61 GiB (array buffers 4.9 GiB)\n')).toEqual({ n: 50000, wallS: 181.2, cpuS: 300.5, rssGiB: 5.61 });
    expect(parseTotal('no total')).toBeUndefined();
  });
});
