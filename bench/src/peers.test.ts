import { describe, expect, it } from 'vitest';
import { blasOf, findPeers, peerEnv, type Runner } from './peers.js';

const ok = (stdout: string) => ({ status: 0, stdout, stderr: '' });
const probeLine = (o: Record<string, unknown>) => ok(`${JSON.stringify({ python: '3.11.2', ...o })}\n`);
const FULL = { numpy: '1.24.2', torch: '1.13.0', torch_threads: 2, blas: ['/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3'] };

/** A scripted runner: each call takes the next reply and is recorded. */
function script(replies: Array<ReturnType<Runner>>) {
  const calls: string[] = [];
  const run: Runner = (cmd, args, env) => {
    calls.push(`${cmd} ${cmd.endsWith('python3') ? '-c PROBE' : args.join(' ')}${env.OPENBLAS_CORETYPE === undefined ? '' : ' CORETYPE-LEAKED'}`);
    const r = replies.shift();
    if (!r) throw new Error('unexpected call');
    return r;
  };
  return { run, calls };
}

describe('peerEnv', () => {
  it('drops OPENBLAS_CORETYPE for the peer only and pins the pools at 2 threads', () => {
    const env = { PATH: '/bin', OPENBLAS_CORETYPE: 'Haswell', OMP_NUM_THREADS: '8' };
    expect(peerEnv(env)).toEqual({ PATH: '/bin', OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2', MKL_NUM_THREADS: '2' });
    expect(env.OPENBLAS_CORETYPE).toBe('Haswell');
  });
});

describe('findPeers', () => {
  it('present with OpenBLAS: no install, versions and threads reported', () => {
    const { run, calls } = script([probeLine(FULL)]);
    expect(findPeers({ install: true, log: () => {}, run })).toEqual({
      available: true, python: '3.11.2', numpy: '1.24.2', torch: '1.13.0', threads: 'torch 2 threads, OMP/OpenBLAS 2 threads', blas: 'OpenBLAS',
    });
    expect(calls).toEqual(['/usr/bin/python3 -c PROBE']);
  });

  it('no interpreter and --no-install: "not available" with the reason, nothing installed', () => {
    const { run } = script([{ status: null, stdout: '', stderr: '', error: new Error('spawnSync /nope ENOENT') }]);
    expect(findPeers({ python: '/nope', install: false, log: () => {}, run })).toEqual({
      available: false, reason: '/nope did not run: spawnSync /nope ENOENT; not installing (--no-install)',
    });
  });

  it('missing: says it installs, updates the lists when apt does not know the packages, probes again', () => {
    const log: string[] = [];
    const { run, calls } = script([
      probeLine({ numpy_error: "No module named 'numpy'", torch_error: "No module named 'torch'" }),
      { status: 100, stdout: '', stderr: 'E: Unable to locate package python3-torch' },
      ok(''), ok(''), probeLine(FULL),
    ]);
    const s = findPeers({ install: true, log: (l) => log.push(l), run, isRoot: true });
    expect(s).toMatchObject({ available: true, numpy: '1.24.2', torch: '1.13.0', installed: 'python3-numpy python3-torch libopenblas0-pthread' });
    expect(log).toEqual([
      "peers: missing: numpy (No module named 'numpy'), torch (No module named 'torch'); installing: apt-get install -y python3-numpy python3-torch libopenblas0-pthread",
      'peers: apt-get update (the package lists do not know them)',
    ]);
    expect(calls).toEqual(['/usr/bin/python3 -c PROBE', 'apt-get install -y python3-numpy python3-torch libopenblas0-pthread', 'apt-get update',
      'apt-get install -y python3-numpy python3-torch libopenblas0-pthread', '/usr/bin/python3 -c PROBE']);
  });

  it('the reference BLAS counts as missing OpenBLAS; a failed apt-get leaves the peers usable and says why', () => {
    const ref = { ...FULL, blas: ['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'] };
    const { run } = script([probeLine(ref), { status: 100, stdout: '', stderr: 'E: Could not open lock file /var/lib/dpkg/lock-frontend' }]);
    expect(findPeers({ install: true, log: () => {}, run, isRoot: true })).toEqual({
      available: true, python: '3.11.2', numpy: '1.24.2', torch: '1.13.0', threads: 'torch 2 threads, OMP/OpenBLAS 2 threads',
      blas: 'reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3)',
      reason: 'missing: OpenBLAS (numpy runs on the reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3)); apt-get install failed: E: Could not open lock file /var/lib/dpkg/lock-frontend',
    });
  });

  it('not root: does not try apt-get, says what to install', () => {
    const { run, calls } = script([probeLine({ numpy: '1.24.2', torch_error: "No module named 'torch'" })]);
    expect(findPeers({ install: true, log: () => {}, run, isRoot: false })).toMatchObject({
      available: true, numpy: '1.24.2', reason: "missing: torch (No module named 'torch'); cannot apt-get install python3-numpy python3-torch libopenblas0-pthread (not root): install them and rerun",
    });
    expect(calls).toHaveLength(1);
  });

  it('blasOf names OpenBLAS, the reference BLAS, or nothing found', () => {
    expect(blasOf({ blas: ['/x/libopenblasp-r0.3.21.so'] })).toBe('OpenBLAS');
    expect(blasOf({ blas: [] })).toBe('no BLAS library found');
    expect(blasOf({})).toBeUndefined();
  });
});
