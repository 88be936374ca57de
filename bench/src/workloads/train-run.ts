/**
 * (g1, g2) one student run through @pikt/trainer's train(): full-batch GD on 1/2 ||u - y||^2,
 * u(k) recorded at every step, the test split evaluated every `evalEvery` steps, ||W - W(0)||_F
 * tracked (the trainer's default), as `pikt reproduce` runs its students.
 */
import { datasetFromArrays } from '@pikt/core';
import { denseOperator, largestEigenvalue } from '@pikt/linalg';
import { createWideStudent } from '@pikt/models';
import { hinf } from '@pikt/ntk';
import { labelFit } from '@pikt/regularizers';
import { initialParams, train } from '@pikt/trainer';
import { benchTask } from '../../../apps/cli/src/commands/bench-measure.js';
import type { CaseSize } from '../workloads.js';
import { activateWasm, resolveWorkers, writeArray, writeMeta, type PiktWorkload } from './common.js';

const SEED = 1;

export async function setup(size: CaseSize, dir: string): Promise<PiktWorkload> {
  const { n, d, m, steps, evalEvery, nTest } = size;
  const backend = await activateWasm();
  const workers = await resolveWorkers(size.workers === 0 ? 'auto' : size.workers ?? 1); // 0: auto
  const all = benchTask(n + nTest, d);
  const x = all.x.subarray(0, n * d), y = all.y.subarray(0, n);
  const xt = all.x.subarray(n * d), yt = all.y.subarray(n);
  // eta = 1 / mu_1(Hinf): inside GD's stability bound 2 / mu_1 for the width-m kernel near Hinf.
  const mu1 = largestEigenvalue(denseOperator((await hinf(x, null, { inputDim: d, onWarning: () => undefined })).data), { steps: 30 }).value;
  const lr = 1 / mu1;
  const model = createWideStudent({ width: m });
  const p0 = initialParams(model, SEED, { inputDim: d, outputDim: 1 });
  for (const [name, a] of [['x.f64', x], ['y.f64', y], ['xt.f64', xt], ['yt.f64', yt]] as const) writeArray(dir, name, a);
  writeArray(dir, 'W0.f32', await p0.W.data() as Float32Array);
  writeArray(dir, 'a.f32', await p0.a.data() as Float32Array);
  model.dispose(p0);
  writeMeta(dir, { n, d, m, steps, evalEvery, nTest, lr });
  const data = datasetFromArrays({ inputDim: d, outputDim: 1, train: { x, targets: y }, test: { x: xt, targets: yt } });
  return {
    info: { ...backend, lr, workers, note: `pikt on ${workers} thread${workers > 1 ? 's (width-sharded workers)' : ''}` },
    async run() {
      const t0 = performance.now();
      const result = await train({
        model, terms: [{ name: 'label', regularizer: labelFit({ loss: 'squared' }) }], data,
        settings: { seed: SEED, optimizer: { kind: 'gd', lr }, steps, evalEvery, recordOutputsAt: Array.from({ length: steps + 1 }, (_, k) => k), ...(workers > 1 ? { workers } : {}) },
      });
      const ms = performance.now() - t0;
      model.dispose(result.params);
      const test = result.evals.filter((e) => e.split === 'test');
      const uK = result.evals.find((e) => e.split === 'train' && e.step === steps && e.outputs)?.outputs ?? [];
      const recorded = result.evals.filter((e) => e.split === 'train' && e.outputs).length;
      return { ms, check: { finalLoss: result.finalLoss, testLoss: test[test.length - 1]?.metrics.loss ?? null, uFinal: uK.slice(0, 16), recorded, testEvals: test.length } };
    },
  };
}
