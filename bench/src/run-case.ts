/** One case of `pnpm bench`: the pikt child and each peer's, alternating run by run; medians, agreement, ratio. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type ChildSide } from './child.js';
import type { PeerStatus } from './peers.js';
import { bestPeerRatio, formatSeconds, peerName, type CaseResult, type SideResult } from './report.js';
import { compareChecks, median } from './stats.js';
import type { BenchCase, PeerId } from './workloads.js';

/** How each side is started: a command and its arguments for the case, its input folder (and the peer). */
export interface SideCommands {
  pikt(c: BenchCase, dir: string): { cmd: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string };
  peer(c: BenchCase, peer: PeerId, dir: string): { cmd: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string };
}

interface Side { result: SideResult; child?: ChildSide }

async function openSide(id: string, start: () => Promise<ChildSide>): Promise<Side> {
  try {
    const child = await start();
    return { result: { id, status: 'ok', ms: [], info: child.info }, child };
  } catch (err) {
    return { result: { id, status: 'failed', ms: [], reason: err instanceof Error ? err.message : String(err) } };
  }
}

export async function runCase(c: BenchCase, index: number, total: number, peers: PeerStatus, commands: SideCommands, log: (line: string) => void = console.log): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pikt-bench-'));
  const sides: Side[] = [];
  try {
    log(`\n[${index}/${total}] ${c.title}: setting up`);
    const pc = commands.pikt(c, dir);
    const pikt = await openSide('pikt', () => startChild(pc.cmd, pc.args, { env: pc.env, cwd: pc.cwd, onLine: (l) => log(`    ${l}`) }));
    sides.push(pikt);
    for (const p of c.peers) {
      const have = p === 'numpy' ? peers.numpy : peers.torch;
      if (!have || pikt.child === undefined) {
        sides.push({ result: { id: p, status: 'not available', ms: [], reason: have ? 'pikt side failed, no inputs' : (peers.reason ?? `${p} missing`) } });
        continue;
      }
      const qc = commands.peer(c, p, dir);
      sides.push(await openSide(p, () => startChild(qc.cmd, qc.args, { env: qc.env, cwd: qc.cwd, onLine: (l) => log(`    ${p}: ${l}`) })));
    }
    for (let r = 1; r <= c.runs; r++) {
      const line: string[] = [];
      for (const s of sides) {
        if (!s.child) continue;
        try {
          const out = await s.child.run();
          s.result.ms.push(out.ms);
          s.result.check = out.check;
          line.push(`${peerName(s.result.id)} ${formatSeconds(out.ms / 1000)}`);
        } catch (err) {
          s.result.status = 'failed';
          s.result.reason = err instanceof Error ? err.message : String(err);
          line.push(`${peerName(s.result.id)} failed`);
          await s.child.close();
          s.child = undefined;
        }
      }
      log(`  ${c.key} run ${r} of ${c.runs}: ${line.join(', ')}`);
    }
  } finally {
    await Promise.all(sides.map((s) => s.child?.close()));
    rmSync(dir, { recursive: true, force: true });
  }
  const [pikt, ...rest] = sides.map((s) => s.result);
  for (const s of [pikt, ...rest]) if (s.status === 'ok' && s.ms.length > 0) s.medianMs = median(s.ms);
  const agreement = rest.filter((p) => p.status === 'ok' && p.check && pikt.check).map((p) => compareChecks(p.id, pikt.check!, p.check!, c.tolerances));
  // What the pikt side says about how it ran (e.g. its thread count) goes into the row's title.
  const title = typeof pikt.info?.note === 'string' ? `${c.title} [${pikt.info.note}]` : c.title;
  return { key: c.key, title, runs: c.runs, pikt, peers: rest, agreement, ...bestPeerRatio(pikt, rest) };
}

/** (e): NumPy's dense route at n from its measured time at n0 (d-4000), times (n / n0)^power. */
export function extrapolate(c: BenchCase, result: CaseResult, done: readonly CaseResult[]): void {
  if (!c.extrapolate) return;
  const from = done.find((d) => d.key === c.extrapolate!.from)?.peers.find((p) => p.id === 'numpy');
  const n0 = Number(c.extrapolate.from.split('-')[1]);
  if (from?.medianMs === undefined) {
    result.peers.push({ id: 'numpy', status: 'not available', ms: [], reason: `not extrapolated: NumPy's ${c.extrapolate.from} case did not run in this run (run with d)` });
    return;
  }
  const ms = from.medianMs * (c.extrapolate.n / n0) ** c.extrapolate.power;
  const d2000 = done.find((d) => d.key === 'd-2000')?.peers.find((p) => p.id === 'numpy')?.medianMs;
  const fit = d2000 && n0 !== 2000 ? `; measured exponent between n=2000 and ${n0}: ${Math.log2(from.medianMs / d2000).toFixed(2)}` : '';
  result.peers.push({ id: 'numpy', status: 'extrapolated', ms: [], medianMs: ms, reason: `NumPy eigh route measured at n=${n0} (${formatSeconds(from.medianMs / 1000)}) times (${c.extrapolate.n}/${n0})^${c.extrapolate.power}${fit}; H alone would need ${Number((8 * c.extrapolate.n ** 2 / 2 ** 30).toPrecision(2))} GiB` });
  Object.assign(result, bestPeerRatio(result.pikt, result.peers));
}

