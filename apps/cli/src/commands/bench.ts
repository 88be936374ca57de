import { createRng, datasetFromArrays } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import { createPiPredictor, hinf } from '@pikt/ntk';
import { labelFit } from '@pikt/regularizers';
import { train } from '@pikt/trainer';
import { BACKEND_CHOICES, activateBackend } from '../backends.js';
import type { BackendChoice } from '../backends.js';
import type { CommandDefinition } from '../cli.js';
import { formatNumber } from '../report/format.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export const benchCommand: CommandDefinition = {
  name: 'bench',
  summary: 'time one full-batch GD step of the wide student and the kernel analysis on this machine',
  flags: {
    n: { type: 'number', range: 'integer', default: 1000, description: 'samples' },
    d: { type: 'number', range: 'integer', default: 128, description: 'input dimension' },
    m: { type: 'number', range: 'integer', default: 4096, description: 'student width' },
    repeats: { type: 'number', range: 'integer', default: 5, description: 'timed repetitions (median reported)' },
    backend: { type: 'string', choices: BACKEND_CHOICES, default: 'wasm', description: 'tfjs backend' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  examples: [
    'pikt bench',
    'pikt bench --n 2000 --d 784 --m 8192 --json      # the size of the trainer issue\'s benchmark',
  ],
  async run({ io, flags }) {
    const [n, d, m, repeats] = [flags.n, flags.d, flags.m, Math.max(1, flags.repeats as number)] as number[];
    const backend = await activateBackend(flags.backend as BackendChoice);
    const rng = createRng('bench');
    const x = rng.fillNormal(new Float64Array(n * d));
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
      for (let j = 0; j < d; j++) x[i * d + j] /= Math.sqrt(s);
    }
    const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1));
    // One run of repeats + 1 steps; per-step time from consecutive step-end clocks, the first
    // step (warm-up, setup) dropped.
    const model = createWideStudent({ width: m });
    const clocks: number[] = [];
    const result = await train({
      model, terms: [{ name: 'label', regularizer: labelFit({ loss: 'squared' }) }],
      data: datasetFromArrays({ inputDim: d, outputDim: 1, train: { x, targets: y } }),
      settings: { seed: 1, optimizer: { kind: 'gd', lr: 1e-3 }, steps: repeats + 1, trackWeightDistance: false },
      reporters: [{ specificationVersion: 'v1', id: 'bench', onEvent: (e) => { if (e.type === 'step-end') clocks.push(e.elapsedMs); } }],
    });
    model.dispose?.(result.params);
    const stepRun = clocks.slice(1).map((c, i) => c - clocks[i]);
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const s = performance.now();
      const H = hinf(x, null, { inputDim: d, onWarning: () => undefined }).data;
      const p = createPiPredictor({ gram: H, y, z: y, lambda: 1, eta: 1e-3, onWarning: () => undefined });
      p.iterationsToEps(1e-2);
      p.capacity();
      times.push(performance.now() - s);
    }
    const out = {
      backend: `${backend.id} (${backend.features.device ?? ''})`, n, d, m, repeats,
      gdStepMs: { median: median(stepRun), all: stepRun.map((v) => Math.round(v * 10) / 10) },
      analysisMs: { median: median(times), all: times.map((v) => Math.round(v)), what: 'Hinf + float64 eigendecomposition + iterations to eps + capacity' },
    };
    if (flags.json) io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else io.stdout.write(`backend ${out.backend}, n = ${n}, d = ${d}, m = ${m}: full-batch GD step ${formatNumber(out.gdStepMs.median)} ms (median of ${repeats}); kernel analysis ${formatNumber(out.analysisMs.median)} ms\n`);
    return 0;
  },
};
