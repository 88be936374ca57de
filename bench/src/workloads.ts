/**
 * The workloads of `pnpm bench` (issue 15): what each measures, at which sizes (full and --quick),
 * which peers do the same work, how many runs, and how close pikt's answer must be to the peer's.
 * Pure data: the pikt side is in workloads/*.ts, the Python side in ../peers/*.py.
 */
export const WORKLOAD_IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g1', 'g2'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];
export type PeerId = 'numpy' | 'torch';
export const PEER_IDS: readonly PeerId[] = ['numpy', 'torch'];

/** Sizes of one case (JSON; the pikt child and the Python peer both read them). */
export type CaseSize = Record<string, number>;

/** How close a check value must be: |pikt - peer| <= rel * max(|peer|, floor) (arrays: elementwise, max |peer|). */
export interface Tolerance { rel: number; floor?: number }

export interface BenchCase {
  /** Row key, e.g. "d-4000". */
  key: string;
  workload: WorkloadId;
  /** One line for the table: what is measured at which size. */
  title: string;
  /** Which pikt module (workloads/<kind>.ts) and Python peer (peers/<kind>.py) run it. */
  kind: 'gd-step' | 'ntk-gram' | 'hinf' | 'analysis' | 'large-n' | 'parse-mnist' | 'train-run';
  size: CaseSize;
  peers: readonly PeerId[];
  /** Timed runs of each side (median reported); 3 for cases above ~60 s a run. */
  runs: number;
  /** Check values compared between pikt and each peer. */
  tolerances: Record<string, Tolerance>;
  /** The peer's time is extrapolated instead of measured (e): from which cases, by which power of n. */
  extrapolate?: { from: string; power: number; n: number };
}

const both: readonly PeerId[] = ['numpy', 'torch'];
const mb = (n: number, d: number, m: number) => `n=${n} d=${d} m=${m}`;

function gdStep(quick: boolean): BenchCase {
  const size = quick ? { n: 1000, d: 784, m: 4096 } : { n: 2000, d: 784, m: 8192 };
  return { key: 'a', workload: 'a', kind: 'gd-step', title: `(a) one full-batch GD step, ${mb(size.n, size.d, size.m)}`, size, peers: both, runs: 5,
    tolerances: { loss: { rel: 1e-4 } } };
}
function gram(quick: boolean): BenchCase {
  const size = quick ? { n: 1000, d: 784, m: 4096 } : { n: 2000, d: 784, m: 8192 };
  return { key: 'b', workload: 'b', kind: 'ntk-gram', title: `(b) empirical NTK Gram (X X^T .* S S^T / m), ${mb(size.n, size.d, size.m)}`, size, peers: both, runs: 5,
    // A pattern bit flips where w.x is within float32 rounding of 0, so entries may differ by ~1/m.
    tolerances: { sum: { rel: 1e-5 }, diag: { rel: 1e-5 }, sample: { rel: 1e-3, floor: 1 } } };
}
function hinfCase(quick: boolean): BenchCase {
  const n = quick ? 2000 : 4000;
  return { key: 'c', workload: 'c', kind: 'hinf', title: `(c) Hinf, n=${n} d=784, float64`, size: { n, d: 784 }, peers: both, runs: 5,
    tolerances: { sum: { rel: 1e-10 }, fro: { rel: 1e-10 }, sample: { rel: 1e-10, floor: 1 } } };
}
function analysisCase(n: number): BenchCase {
  return { key: `d-${n}`, workload: 'd', kind: 'analysis', title: `(d) analysis, n=${n} (spectrum, loss curve, iterations, capacity)`, size: { n }, peers: ['numpy'], runs: 5,
    tolerances: { mu1: { rel: 1e-8 }, total1000: { rel: 1e-6 }, kTeacher: { rel: 0, floor: 1 }, kPlain: { rel: 0, floor: 1 }, capacity: { rel: 1e-3 }, complexity: { rel: 1e-3 } } };
}
function largeN(quick: boolean): BenchCase {
  const n = quick ? 8000 : 50_000;
  return { key: 'e', workload: 'e', kind: 'large-n', title: `(e) the same analysis, n=${n} (NumPy's O(n^3) route extrapolated)`, size: { n }, peers: [], runs: quick ? 1 : 3,
    // --quick runs d at n = 2000 only: extrapolate from there.
    tolerances: {}, extrapolate: { from: quick ? 'd-2000' : 'd-4000', power: 3, n } };
}
function parseMnist(): BenchCase {
  return { key: 'f', workload: 'f', kind: 'parse-mnist', title: '(f) parse the MNIST training set (60000 x 784 IDX, 47 MB)', size: {}, peers: ['numpy'], runs: 5,
    tolerances: { n: { rel: 0 }, pixelSum: { rel: 0 }, labelSum: { rel: 0 } } };
}
function trainRun(key: 'g1' | 'g2', size: CaseSize): BenchCase {
  const title = `(${key}) student run ${mb(size.n, size.d, size.m)}, ${size.steps} GD steps, u(k) recorded, test every ${size.evalEvery}`;
  return { key, workload: key, kind: 'train-run', title, size, peers: ['torch'], runs: size.steps >= 1000 ? 3 : 5,
    // The training loss ends near float32 noise (1e-8 of a start near n/2): judged against a floor of 1e-3;
    // the trajectory itself is checked through u(K).
    tolerances: { finalLoss: { rel: 1e-3, floor: 1e-3 }, testLoss: { rel: 1e-4 }, uFinal: { rel: 1e-4 }, recorded: { rel: 0 }, testEvals: { rel: 0 } } };
}

/** The cases of a run, in order; `only` (workload ids) picks some. */
export function benchCases(opts: { quick: boolean; only?: readonly WorkloadId[] }): BenchCase[] {
  const q = opts.quick;
  const all: BenchCase[] = [
    gdStep(q), gram(q), hinfCase(q),
    ...(q ? [analysisCase(2000)] : [analysisCase(2000), analysisCase(4000)]),
    parseMnist(),
    trainRun('g1', { n: 200, d: 32, m: 2048, steps: 300, evalEvery: 7, nTest: 500 }),
    // The long ones last, so that a run cut short has the rest.
    ...(q ? [] : [largeN(false)]),
    ...(q ? [] : [trainRun('g2', { n: 1000, d: 64, m: 8192, steps: 1000, evalEvery: 7, nTest: 500 })]),
  ];
  // --only e in a quick run still means something: the large-n case at a small size.
  if (q && opts.only?.includes('e')) all.push(largeN(true));
  if (q && opts.only?.includes('g2')) all.push(trainRun('g2', { n: 1000, d: 64, m: 8192, steps: 100, evalEvery: 7, nTest: 500 }));
  return opts.only ? all.filter((c) => opts.only!.includes(c.workload)) : all;
}
