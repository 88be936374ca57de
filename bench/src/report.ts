/** The result of one `pnpm bench` run and its text and Markdown tables. */
import type { Agreement, CheckValues } from './stats.js';

export interface SideResult {
  /** 'pikt', 'numpy' or 'torch'. */
  id: string;
  status: 'ok' | 'not available' | 'failed' | 'extrapolated';
  /** Timed runs, milliseconds, in order. */
  ms: number[];
  medianMs?: number;
  /** Why not available / failed, or how it was extrapolated. */
  reason?: string;
  check?: CheckValues;
  /** What the side reported about itself (sizes, threads, memory). */
  info?: Record<string, unknown>;
}

export interface CaseResult {
  key: string;
  title: string;
  runs: number;
  pikt: SideResult;
  peers: SideResult[];
  agreement: Agreement[];
  /** The fastest peer with a time (measured or extrapolated) and pikt / that peer. */
  bestPeer?: string;
  ratio?: number;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  wasm: string;
  python?: string;
  numpy?: string;
  torch?: string;
  peerThreads?: string;
  /** The BLAS numpy loaded. */
  blas?: string;
  load: string;
  /** Load average when the report was written. */
  loadEnd?: string;
}

export interface BenchReport {
  date: string;
  mode: 'full' | 'quick';
  machine: MachineInfo;
  peers: { available: boolean; reason?: string; installed?: string };
  cases: CaseResult[];
  /** Cases planned; fewer in `cases` while the run is under way (the files are rewritten after each case). */
  planned: number;
  wallSeconds: number;
}

const PEER_NAMES: Record<string, string> = { numpy: 'NumPy', torch: 'PyTorch', pikt: 'pikt' };
export const peerName = (id: string): string => PEER_NAMES[id] ?? id;

/** 0.123 s -> "123 ms", 1.86 -> "1.86 s", 54.3 -> "54.3 s", 181 -> "181 s", 7200 -> "2.0 h". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '-';
  if (s < 1) return `${(s * 1000).toPrecision(3).replace(/\.0+$/, '')} ms`;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 100) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.round(s)} s`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** pikt / peer: "9.8", "0.35", "12.9"; two significant digits below 10, one decimal above. */
export function formatRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '-';
  return r >= 10 ? r.toFixed(1) : r.toPrecision(2);
}

/** Pick the fastest peer that has a time and the ratio pikt / it (undefined when pikt or every peer has none). */
export function bestPeerRatio(pikt: SideResult, peers: readonly SideResult[]): { bestPeer?: string; ratio?: number } {
  const timed = peers.filter((p) => p.medianMs !== undefined && Number.isFinite(p.medianMs));
  if (timed.length === 0) return {};
  const best = timed.reduce((a, b) => ((b.medianMs as number) < (a.medianMs as number) ? b : a));
  if (pikt.medianMs === undefined || !Number.isFinite(pikt.medianMs)) return { bestPeer: best.id };
  return { bestPeer: best.id, ratio: pikt.medianMs / (best.medianMs as number) };
}

function sideCell(s: SideResult | undefined): string {
  if (!s) return '';
  if (s.status === 'not available') return 'not available';
  if (s.status === 'failed') return 'failed';
  const t = formatSeconds((s.medianMs ?? NaN) / 1000);
  return s.status === 'extrapolated' ? `${t} (extrapolated)` : t;
}

function agreeCell(c: CaseResult): string {
  if (c.agreement.length === 0) return '-';
  const parts = c.agreement.map((a) => {
    if (a.problem) return `NO (${peerName(a.peer)}: ${a.problem})`;
    const e = a.worstError === undefined || a.worstError === 0 ? ': exact' : ` ${a.worstKey} ${a.worstError.toExponential(0)}`;
    return `${a.agrees ? 'yes' : 'NO'} (${peerName(a.peer)}${e})`;
  });
  return parts.join(', ');
}

export const TABLE_HEADER = ['workload', 'runs', 'pikt', 'NumPy', 'PyTorch', 'pikt / best peer', 'agrees'] as const;

/** The table's rows as cells (same for text and Markdown). */
export function tableRows(cases: readonly CaseResult[]): string[][] {
  return cases.map((c) => [
    c.title,
    String(c.runs),
    sideCell(c.pikt),
    sideCell(c.peers.find((p) => p.id === 'numpy')),
    sideCell(c.peers.find((p) => p.id === 'torch')),
    c.ratio === undefined ? '-' : `${formatRatio(c.ratio)} (vs ${peerName(c.bestPeer as string)})`,
    agreeCell(c),
  ]);
}

/** Fixed-width text table for the terminal. */
export function formatTextTable(cases: readonly CaseResult[]): string {
  const rows = [[...TABLE_HEADER], ...tableRows(cases)];
  const widths = TABLE_HEADER.map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

/** The machine as one line. */
export function describeMachine(m: MachineInfo): string {
  const py = m.python ? `; Python ${m.python}, NumPy ${m.numpy ?? 'not available'}, PyTorch ${m.torch ?? 'not available'} (${m.peerThreads ?? '?'}${m.blas ? `, ${m.blas}` : ''})` : '; Python peers not available';
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}, ${m.wasm}${py}; load average at start ${m.load}${m.loadEnd ? `, at end ${m.loadEnd}` : ''}`;
}

/** The whole report as Markdown: heading, machine, table, notes. */
export function formatMarkdown(r: BenchReport): string {
  const rows = tableRows(r.cases);
  const lines = [
    `# pnpm bench${r.mode === 'quick' ? ' --quick' : ''}: ${r.date}${r.cases.length < r.planned ? ` (partial: ${r.cases.length} of ${r.planned} cases so far)` : ''}`,
    '',
    `Machine: ${describeMachine(r.machine)}.`,
    '',
    `| ${TABLE_HEADER.join(' | ')} |`,
    `|${TABLE_HEADER.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`),
    '',
    `Times are medians of the runs shown, pikt and its peers alternating; "agrees" compares each result with the peer's within the stated tolerance (worst relative error shown). Wall time of the whole run: ${formatSeconds(r.wallSeconds)}.`,
  ];
  if (!r.peers.available) lines.push('', `Peers not available: ${r.peers.reason ?? 'unknown reason'}.`);
  for (const c of r.cases) {
    for (const s of [c.pikt, ...c.peers]) {
      if (s.reason && s.status !== 'ok') lines.push('', `${c.key} ${peerName(s.id)}: ${s.status}: ${s.reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
