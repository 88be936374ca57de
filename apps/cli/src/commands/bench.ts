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
  matmul: { size: number; gflops: number; ms: number[] };
  gdStepMs: { median: number; all: number[] };
  gramMs: { median: number; all: number[] };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

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
    'include-software': { type: 'boolean', description: 'with --backend all, also time software GPU adapters (SwiftShader, llvmpipe: minutes at the default sizes)' },
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
    // `all`: each backend whose probe succeeds (software GPU adapters only with --include-software:
    // 0.04 GFLOP/s on SwiftShader here); a named one must run (activateBackend says why not).
    const skipped: Array<{ id: string; reason: string }> = [];
    let ids: string[] = [choice];
    if (choice === 'all') {
      const probed = await probeBackends();
      await releaseBackends(probed.map((x) => x.adapter));
      ids = [];
      for (const { adapter, probe } of probed) {
        if (!probe.supported) skipped.push({ id: adapter.id, reason: probe.reason });
        else if (probe.features.software === true && adapter.id !== 'cpu' && !flags['include-software']) {
          skipped.push({ id: adapter.id, reason: `software adapter (${String(probe.features.device ?? '')}); time it with --backend ${adapter.id} or --include-software` });
        } else ids.push(adapter.id);
      }
    }
    const task = benchTask(n, d);
    const results: BackendBench[] = [];
    for (const id of ids) {
      const backend = await activateBackend(id as BackendChoice);
      const mm = await matmulGflops(size, repeats);
      const step = await gdStepMs(task, n, d, m, repeats);
      const gram = await gramMs(task, d, m, repeats);
      results.push({
        id: backend.id, device: String(backend.features.device ?? ''),
        matmul: { size, gflops: Number(mm.gflops.toPrecision(3)), ms: mm.ms.map(round1) },
        gdStepMs: { median: median(step), all: step.map(round1) },
        gramMs: { median: median(gram), all: gram.map(round1) },
      });
      await releaseBackends(); // node-gpu: free the device before the next backend
    }
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
      `${'backend'.padEnd(10)}${`matmul ${size} GFLOP/s`.padEnd(22)}${'GD step ms'.padEnd(12)}${'Gram ms'.padEnd(10)}device`];
    for (const r of results) {
      lines.push(`${r.id.padEnd(10)}${r.matmul.gflops.toPrecision(3).padEnd(22)}${formatNumber(r.gdStepMs.median).padEnd(12)}${formatNumber(r.gramMs.median).padEnd(10)}${r.device}`);
    }
    for (const k of skipped) lines.push(`${k.id.padEnd(10)}not timed: ${k.reason}`);
    lines.push(`kernel analysis (host, float64): ${formatNumber(out.analysisMs.median)} ms`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
