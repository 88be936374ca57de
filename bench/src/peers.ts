/**
 * The Python peers: Debian's python3-numpy and python3-torch under /usr/bin/python3 (the python3
 * first on PATH may be another interpreter). Installed with apt-get when missing (said so), or
 * reported "not available" with the reason; never fatal.
 */
import { spawnSync } from 'node:child_process';

export const PEER_THREADS = 2;
/**
 * Debian's numpy and torch link libblas.so.3, which is the (unoptimised) reference BLAS unless an
 * optimised one is installed: libopenblas0-pthread takes over that alternative (measured here: a
 * 1000 x 784 x 4096 sgemm took 3-5 s on the reference BLAS).
 */
export const PEER_PACKAGES = ['python3-numpy', 'python3-torch', 'libopenblas0-pthread'] as const;

export interface PeerStatus {
  available: boolean;
  python?: string;
  numpy?: string;
  torch?: string;
  /** torch.get_num_threads() and the BLAS thread setting the peers run with. */
  threads?: string;
  reason?: string;
  /** Which BLAS numpy loaded ('OpenBLAS', or the reference BLAS's path: slow). */
  blas?: string;
  /** What apt-get installed in this run. */
  installed?: string;
}

/** A spawnSync-shaped runner (injected in tests). */
export type Runner = (cmd: string, args: readonly string[], env: NodeJS.ProcessEnv) => { status: number | null; stdout: string; stderr: string; error?: Error };

const defaultRunner: Runner = (cmd, args, env) => {
  const r = spawnSync(cmd, args as string[], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
};

/**
 * The environment of a peer command: OPENBLAS_CORETYPE removed (it may be set for this machine's
 * other jobs and would pin OpenBLAS to a slower kernel), BLAS/OpenMP pools at PEER_THREADS threads.
 */
export function peerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, OMP_NUM_THREADS: String(PEER_THREADS), OPENBLAS_NUM_THREADS: String(PEER_THREADS), MKL_NUM_THREADS: String(PEER_THREADS) };
  delete out.OPENBLAS_CORETYPE;
  return out;
}

const PROBE = `
import json, platform
out = {"python": platform.python_version()}
try:
    import numpy; out["numpy"] = numpy.__version__
except Exception as e:
    out["numpy_error"] = str(e)
try:
    import torch; torch.set_num_threads(${PEER_THREADS}); out["torch"] = torch.__version__; out["torch_threads"] = torch.get_num_threads()
except Exception as e:
    out["torch_error"] = str(e)
try:
    libs = [l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.split()[-1]]
    out["blas"] = sorted(set(libs))
except Exception:
    pass
print(json.dumps(out))
`;

interface Probe { python?: string; numpy?: string; torch?: string; torch_threads?: number; numpy_error?: string; torch_error?: string; blas?: string[]; failure?: string }

/** 'openblas' when OpenBLAS is loaded, else the BLAS files found (the reference BLAS: blas/libblas.so.3). */
export function blasOf(p: { blas?: string[] }): string | undefined {
  if (!p.blas) return undefined;
  if (p.blas.some((l) => /openblas/i.test(l))) return 'OpenBLAS';
  return p.blas.length ? `reference BLAS (${p.blas.join(', ')})` : 'no BLAS library found';
}

const optimisedBlas = (p: Probe): boolean => blasOf(p) === undefined || blasOf(p) === 'OpenBLAS';

function probe(python: string, run: Runner): Probe {
  const r = run(python, ['-c', PROBE], peerEnv());
  if (r.error || r.status !== 0) return { failure: `${python} did not run: ${(r.error?.message ?? r.stderr.trim().split('\n').pop() ?? '').trim() || `exit ${r.status}`}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Probe;
  } catch {
    return { failure: `${python} printed no version line` };
  }
}

function status(p: Probe, installed?: string): PeerStatus {
  const missing = [p.numpy ? '' : `numpy (${p.numpy_error ?? 'missing'})`, p.torch ? '' : `torch (${p.torch_error ?? 'missing'})`,
    p.numpy && !optimisedBlas(p) ? `OpenBLAS (numpy runs on the ${blasOf(p)})` : ''].filter(Boolean);
  return {
    available: Boolean(p.numpy || p.torch), python: p.python, numpy: p.numpy, torch: p.torch,
    threads: `torch ${p.torch_threads ?? '-'} threads, OMP/OpenBLAS ${PEER_THREADS} threads`,
    ...(blasOf(p) ? { blas: blasOf(p) } : {}),
      ...(missing.length ? { reason: `missing: ${missing.join(', ')}` } : {}),
    ...(installed ? { installed } : {}),
  };
}

/**
 * Finds the peers; when numpy or torch is missing and `install` is set, runs
 * `apt-get install -y python3-numpy python3-torch` (after `apt-get update` if the packages are
 * unknown), printing that it does, then probes again. Never throws.
 */
export function findPeers(opts: { python?: string; install: boolean; log: (line: string) => void; run?: Runner; isRoot?: boolean }): PeerStatus {
  const python = opts.python ?? '/usr/bin/python3';
  const run = opts.run ?? defaultRunner;
  let p = probe(python, run);
  if (p.numpy && p.torch && optimisedBlas(p)) return status(p);
  if (!opts.install) {
    const s = p.failure ? { available: false, reason: p.failure } : status(p);
    return { ...s, reason: `${s.reason}; not installing (--no-install)` };
  }
  const root = opts.isRoot ?? (typeof process.getuid !== 'function' || process.getuid() === 0);
  if (!root) {
    const s = p.failure ? { available: false, reason: p.failure } : status(p);
    return { ...s, reason: `${s.reason}; cannot apt-get install ${PEER_PACKAGES.join(' ')} (not root): install them and rerun` };
  }
  opts.log(`peers: ${p.failure ?? status(p).reason}; installing: apt-get install -y ${PEER_PACKAGES.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = run('apt-get', ['install', '-y', ...PEER_PACKAGES], env);
  if (r.status !== 0 && /Unable to locate|has no installation candidate/.test(r.stderr + r.stdout)) {
    opts.log('peers: apt-get update (the package lists do not know them)');
    run('apt-get', ['update'], env);
    r = run('apt-get', ['install', '-y', ...PEER_PACKAGES], env);
  }
  if (r.error || r.status !== 0) {
    const why = (r.error?.message ?? (r.stderr.trim().split('\n').pop() || `exit ${r.status}`)).trim();
    const s = p.failure ? { available: false, reason: p.failure } : status(p);
    return { ...s, reason: `${s.reason}; apt-get install failed: ${why}` };
  }
  p = probe(python, run);
  if (p.failure) return { available: false, reason: p.failure };
  return status(p, PEER_PACKAGES.join(' '));
}
