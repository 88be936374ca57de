import { createPiPredictor, hinf } from '@pikt/ntk';
import { BACKEND_CHOICES, activateBackend, probeBackends, releaseBackends } from '../backends.js';
import type { BackendChoice } from '../backends.js';
import type { CommandDefinition } from '../cli.js';
import { formatNumber } from '../report/format.js';
import { analysisEstimate, checkEstimate, studentEstimate } from './estimates.js';
import { benchTask, gdStepMs, gramMs, matmulGflops, median } from './bench-measure.js';

interface BackendBench {
  id: string;
  device: string;
  /** The sizes this backend was timed at (smaller than asked for a software GPU adapter). */
  size: BenchSize;
  /** A software adapter (SwiftShader, llvmpipe) as its probe reported. */
  software: boolean;
  matmul: { size: number; gflops: number; ms: number[] };
  gdStepMs: { median: number; all: number[] };
  gramMs: { median: number; all: number[] };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

interface BenchSize { n: number; d: number; m: number; matmul: number; repeats: number }

/**
 * The sizes a software GPU adapter (SwiftShader, llvmpipe) is timed at under `--backend all`:
 * about 0.04 GFLOP/s here, so the default sizes would take minutes; these take seconds and still
 * give each a matmul, a GD step and a Gram. `--include-software` times them at the full sizes.
 */
export function softwareSize(full: BenchSize): BenchSize {
  return { n: Math.min(full.n, 128), d: Math.min(full.d, 32), m: Math.min(full.m, 512), matmul: Math.min(full.matmul, 128), repeats: Math.min(full.repeats, 3) };
}

export const benchCommand: CommandDefinition = {
  name: 'bench',
  summary: 'matmul GFLOP/s, one full-batch GD step of the wide student and one empirical NTK Gram on every backend here, plus the kernel analysis',
  flags: {
    n: { type: 'number', range: 'integer', min: 2, default: 1000, description: 'samples' },
    d: { type: 'number', range: 'integer', min: 1, default: 128, description: 'input dimension' },
    m: { type: 'number', range: 'integer', min: 2, default: 4096, description: 'student width' },
    repeats: { type: 'number', range: 'integer', min: 1, default: 5, description: 'timed repetitions (median reported)' },
    matmul: { type: 'number', range: 'integer', min: 1, default: 1024, description: 'side of the square matmul timed for GFLOP/s' },
    backend: { type: 'string', choices: [...BACKEND_CHOICES, 'all'], default: 'all', description: 'tfjs backend, or all that run here' },
    'include-software': { type: 'boolean', description: 'with --backend all, time software GPU adapters (SwiftShader, llvmpipe) at the full sizes too (minutes), not at n 128, d 32, m 512, matmul 128' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  examples: [
    'pikt bench                                  # every backend available here',
    'pikt bench --backend wasm --n 2000 --d 784 --m 8192 --json      # the size of the trainer issue\'s benchmark',
  ],
  async run({ io, flags }) {
    const [n, d, m, repeats, size] = [flags.n, flags.d, flags.m, flags.repeats, flags.matmul] as number[];
    const choice = flags.backend as BackendChoice | 'all';
    // Before any allocation: the student's tensors and the float64 Gram must fit (with `all`, judged
    // on wasm's tensor limit, the tightest), and long runs are announced.
    const limitBackend = choice === 'all' ? 'wasm' : choice;
    const student = studentEstimate(n, d, m, repeats + 1, limitBackend);
    const analysis = analysisEstimate(n, d);
    const long = checkEstimate({
      what: `The benchmark (n = ${n}, d = ${d}, m = ${m}, ${repeats} repeats)`, hostBytes: 8 * n * d + analysis.hostBytes,
      tensorBytes: student.tensorBytes, seconds: student.seconds + repeats * analysis.seconds, flags: '--n, --d or --m',
    }, limitBackend);
    if (long) io.stderr.write(`pikt bench: warning: ${long}\n`);
    // `all`: each backend whose probe succeeds, a software GPU adapter at softwareSize (0.04 GFLOP/s
    // on SwiftShader here) unless --include-software; a named one must run (activateBackend says why not).
    const full: BenchSize = { n, d, m, matmul: size, repeats };
    const skipped: Array<{ id: string; reason: string }> = [];
    let runs: Array<{ id: string; size: BenchSize }> = [{ id: choice, size: full }];
    if (choice === 'all') {
      const probed = await probeBackends();
      await releaseBackends(probed.map((x) => x.adapter));
      runs = [];
      for (const { adapter, probe } of probed) {
        if (!probe.supported) skipped.push({ id: adapter.id, reason: probe.reason });
        else {
          const software = probe.features.software === true && adapter.id !== 'cpu' && !flags['include-software'];
          runs.push({ id: adapter.id, size: software ? softwareSize(full) : full });
        }
      }
    }
    const results: BackendBench[] = [];
    for (const { id, size: at } of runs) {
      const backend = await activateBackend(id as BackendChoice);
      const task = benchTask(at.n, at.d);
      const mm = await matmulGflops(at.matmul, at.repeats);
      const step = await gdStepMs(task, at.n, at.d, at.m, at.repeats);
      const gram = await gramMs(task, at.d, at.m, at.repeats);
      results.push({
        id: backend.id, device: String(backend.features.device ?? ''), size: at, software: backend.features.software === true,
        matmul: { size: at.matmul, gflops: Number(mm.gflops.toPrecision(3)), ms: mm.ms.map(round1) },
        gdStepMs: { median: median(step), all: step.map(round1) },
        gramMs: { median: median(gram), all: gram.map(round1) },
      });
      await releaseBackends(); // node-gpu: free the device before the next backend
    }
    const task = benchTask(n, d);
    // The float64 kernel analysis runs on the host whatever the backend: timed once.
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const s = performance.now();
      const H = hinf(task.x, null, { inputDim: d, onWarning: () => undefined }).data;
      const p = createPiPredictor({ gram: H, y: task.y, z: task.y, lambda: 1, eta: 1e-3, onWarning: () => undefined });
      p.iterationsToEps(1e-2);
      p.capacity();
      times.push(performance.now() - s);
    }
    const out = {
      n, d, m, repeats, backends: results, skipped,
      analysisMs: { median: median(times), all: times.map((v) => Math.round(v)), what: 'Hinf + float64 eigendecomposition + iterations to eps + capacity (host, float64)' },
    };
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    const lines = [`pikt bench: n = ${n}, d = ${d}, m = ${m}, median of ${repeats}`,
      `${'backend'.padEnd(10)}${'matmul GFLOP/s'.padEnd(22)}${'GD step ms'.padEnd(12)}${'Gram ms'.padEnd(10)}device`];
    const sameSize = (a: BenchSize) => a.n === n && a.d === d && a.m === m && a.matmul === size && a.repeats === repeats;
    for (const r of results) {
      const at = sameSize(r.size) ? '' : ` [software adapter timed at n = ${r.size.n}, d = ${r.size.d}, m = ${r.size.m}, median of ${r.size.repeats}; --include-software for the full size]`;
      lines.push(`${r.id.padEnd(10)}${`${r.matmul.gflops.toPrecision(3)} (${r.matmul.size})`.padEnd(22)}${formatNumber(r.gdStepMs.median).padEnd(12)}${formatNumber(r.gramMs.median).padEnd(10)}${r.device}${at}`);
    }
    for (const k of skipped) lines.push(`${k.id.padEnd(10)}not timed: ${k.reason}`);
    lines.push(`kernel analysis (host, float64): ${formatNumber(out.analysisMs.median)} ms`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
