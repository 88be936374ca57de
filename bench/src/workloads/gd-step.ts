/** (a) one full-batch GD step of the wide student through train() (apps/cli's bench-measure). */
import { createWideStudent } from '@pikt/models';
import { initialParams } from '@pikt/trainer';
import { benchTask, gdStepRun, GD_BENCH_SETTINGS } from '../../../apps/cli/src/commands/bench-measure.js';
import type { CaseSize } from '../workloads.js';
import { activateWasm, resolveWorkers, writeArray, writeMeta, type PiktWorkload } from './common.js';

export async function setup(size: CaseSize, dir: string): Promise<PiktWorkload> {
  const { n, d, m } = size;
  const backend = await activateWasm();
  const workers = await resolveWorkers(size.workers ? size.workers : 'auto'); // 0 or absent: auto
  const task = benchTask(n, d);
  // W(0) and a as train() draws them (seed GD_BENCH_SETTINGS.seed): the peer starts from the same point.
  const model = createWideStudent({ width: m });
  const p0 = initialParams(model, GD_BENCH_SETTINGS.seed, { inputDim: d, outputDim: 1 });
  writeArray(dir, 'x.f64', task.x);
  writeArray(dir, 'y.f64', task.y);
  writeArray(dir, 'W0.f32', await p0.W.data() as Float32Array);
  writeArray(dir, 'a.f32', await p0.a.data() as Float32Array);
  model.dispose(p0);
  writeMeta(dir, { n, d, m, lr: GD_BENCH_SETTINGS.lr, steps: 2 });
  return {
    info: { ...backend, workers, note: `pikt on ${workers} thread${workers > 1 ? 's (width-sharded workers)' : ''}`, timed: 'the 2nd of 2 train() steps (forward, loss read, vjp, update)' },
    async run() {
      // Two steps: the first carries train()'s setup and is not timed; the loss after both is checked.
      const r = await gdStepRun(task, d, m, 2, workers);
      return { ms: r.stepMs[0], check: { loss: r.finalLoss } };
    },
  };
}
