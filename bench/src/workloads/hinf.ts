/** (c) the analytic NTK Hinf in float64 (@pikt/ntk). */
import { hinf } from '@pikt/ntk';
import { linalgKernels } from '@pikt/linalg';
import { benchTask } from '../../../apps/cli/src/commands/bench-measure.js';
import type { CaseSize } from '../workloads.js';
import { sampleEntries, sumAndFro, writeArray, writeMeta, type PiktWorkload } from './common.js';

export async function setup(size: CaseSize, dir: string): Promise<PiktWorkload> {
  const { n, d } = size;
  const task = benchTask(n, d);
  writeArray(dir, 'x.f64', task.x);
  writeMeta(dir, { n, d });
  return {
    info: { linalg: linalgKernels().kind },
    async run() {
      const t0 = performance.now();
      // await: a threaded Hinf may return a promise; a synchronous one passes through.
      const h = (await hinf(task.x, null, { inputDim: d, onWarning: () => undefined })).data;
      const ms = performance.now() - t0;
      return { ms, check: { ...sumAndFro(h), sample: sampleEntries(h, n) } };
    },
  };
}
