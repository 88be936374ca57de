import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import type { MachineInfo } from './report.js';
import type { PeerStatus } from './peers.js';

/** CPU model (from /proc/cpuinfo when os.cpus() has none), cores, memory, versions, wasm features. */
export function machineInfo(peers: PeerStatus, wasm: string): MachineInfo {
  let cpu = cpus()[0]?.model ?? '';
  if (!cpu) {
    try { cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU'; } catch { cpu = 'unknown CPU'; }
  }
  let flags = '';
  try {
    const f = /flags\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].split(' ') ?? [];
    flags = ['avx2', 'avx512f', 'fma'].filter((x) => f.includes(x)).join(' ');
  } catch { /* not Linux */ }
  return {
    cpu: flags ? `${cpu.trim()} (${flags})` : cpu.trim(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.versions.node,
    wasm,
    ...(peers.python ? { python: peers.python } : {}),
    ...(peers.numpy ? { numpy: peers.numpy } : {}),
    ...(peers.torch ? { torch: peers.torch } : {}),
    ...(peers.threads ? { peerThreads: peers.threads } : {}),
    ...(peers.blas ? { blas: peers.blas } : {}),
    load: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

/** "tfjs-wasm SIMD, 1 thread; linalg wasm-simd" from what the pikt child reported. */
export function describeWasm(info: Record<string, unknown> | undefined): string {
  if (!info || info.backend === undefined) return 'wasm features not probed';
  const simd = info.simd === true ? 'SIMD' : 'no SIMD';
  const threads = info.threads === true ? 'threads' : '1 thread per backend';
  return `tfjs-backend-wasm ${simd}, ${threads}`;
}
