/**
 * `pnpm bench`: every workload of issue 15 in pikt and in its Python peers, alternating run by run,
 * medians, pikt / best peer, and whether the answers agree; the table is printed and saved as JSON
 * and Markdown under bench/results/. The launcher (../run.mjs) builds first.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_USAGE, BenchArgsError, parseBenchArgs } from './args.js';
import { describeWasm, machineInfo } from './machine.js';
import { findPeers, peerEnv } from './peers.js';
import { describeMachine, formatTextTable, peerName, type BenchReport, type CaseResult } from './report.js';
import { writeResults } from './results.js';
import { extrapolate, runCase, type SideCommands } from './run-case.js';
import { benchCases } from './workloads.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON = '/usr/bin/python3';
const COMMANDS: SideCommands = {
  pikt: (c, dir) => ({ cmd: process.execPath, args: ['--max-old-space-size=8192', join(ROOT, 'bench/dist/pikt-child.js'), c.kind, JSON.stringify(c.size), dir], cwd: ROOT }),
  peer: (c, p, dir) => ({ cmd: PYTHON, args: [join(ROOT, 'bench/peers/peer.py'), c.kind, p, dir], env: peerEnv(), cwd: ROOT }),
};

async function main(): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2), resolve(ROOT, 'bench/results'));
  } catch (err) {
    if (err instanceof BenchArgsError) { console.error(`pnpm bench: ${err.message}\n${BENCH_USAGE}`); return 2; }
    throw err;
  }
  if (args.help) { console.log(BENCH_USAGE); return 0; }
  const t0 = performance.now();
  const date = new Date().toISOString();
  let cases = benchCases({ quick: args.quick, ...(args.only ? { only: args.only } : {}) });
  if (args.runs !== undefined) cases = cases.map((c) => ({ ...c, runs: args.runs as number }));
  if (args.workers !== undefined) cases = cases.map((c) => (c.kind === 'gd-step' || c.kind === 'train-run' ? { ...c, size: { ...c.size, workers: args.workers as number } } : c));
  console.log(`pnpm bench${args.quick ? ' --quick' : ''}: ${cases.length} case(s): ${cases.map((c) => c.key).join(', ')}`);
  const peers = findPeers({ python: PYTHON, install: args.install, log: (l) => console.log(l) });
  console.log(peers.available ? `peers: Python ${peers.python}, NumPy ${peers.numpy ?? 'not available'}, PyTorch ${peers.torch ?? 'not available'} (${peers.threads})${peers.installed ? `; installed ${peers.installed}` : ''}` : `peers not available: ${peers.reason}`);
  const results: CaseResult[] = [];
  const atStart = machineInfo(peers, '');
  const report = (wasm: Record<string, unknown> | undefined): BenchReport => ({
    date, mode: args.quick ? 'quick' : 'full', machine: { ...atStart, wasm: describeWasm(wasm), loadEnd: machineInfo(peers, '').load },
    peers: { available: peers.available, ...(peers.reason ? { reason: peers.reason } : {}), ...(peers.installed ? { installed: peers.installed } : {}) },
    cases: results, planned: cases.length, wallSeconds: (performance.now() - t0) / 1000,
  });
  const reported = () => results.map((r) => r.pikt.info).find((info) => info?.backend !== undefined);
  for (const [i, c] of cases.entries()) {
    const r = await runCase(c, i + 1, cases.length, peers, COMMANDS);
    extrapolate(c, r, results);
    results.push(r);
    // Rewritten after each case: a run cut short (a long full run) keeps what finished.
    if (i + 1 < cases.length) await writeResults(args.out, report(reported()));
  }
  let wasmInfo = reported();
  if (!wasmInfo) {
    // No tfjs case ran: ask the adapter (cheap) so the machine line still says SIMD / threads.
    const { createWasmBackend } = await import('@pikt/backend-wasm');
    try {
      wasmInfo = { backend: 'wasm', ...(await createWasmBackend().activate()).features };
    } catch { /* described as not probed */ }
  }
  const final = report(wasmInfo);
  console.log(`\nMachine: ${describeMachine(final.machine)}\n`);
  console.log(formatTextTable(results));
  for (const r of results) for (const s of [r.pikt, ...r.peers]) if (s.status !== 'ok' && s.reason) console.log(`  ${r.key} ${peerName(s.id)}: ${s.status}: ${s.reason}`);
  const paths = await writeResults(args.out, final);
  console.log(`\nwrote ${paths.join(', ')}`);
  const failed = results.some((r) => r.pikt.status === 'failed' || r.agreement.some((a) => !a.agrees));
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exit(1);
});
