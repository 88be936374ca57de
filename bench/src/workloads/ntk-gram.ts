/** (b) the structured empirical NTK Gram of the student at W (apps/cli's bench-measure, @pikt/ntk). */
import { benchTask, gramBenchWeights, gramOnce } from '../../../apps/cli/src/commands/bench-measure.js';
import type { CaseSize } from '../workloads.js';
import { activateWasm, sampleEntries, sumAndFro, writeArray, writeMeta, type PiktWorkload } from './common.js';

export async function setup(size: CaseSize, dir: string): Promise<PiktWorkload> {
  const { n, d, m } = size;
  const backend = await activateWasm();
  const task = benchTask(n, d);
  const w = gramBenchWeights(m, d);
  writeArray(dir, 'x.f64', task.x);
  writeArray(dir, 'w.f32', w);
  writeMeta(dir, { n, d, m });
  return {
    info: backend,
    async run() {
      const { ms, gram } = await gramOnce(task.x, w, d);
      let diag = 0;
      for (let i = 0; i < n; i++) diag += gram[i * n + i];
      return { ms, check: { sum: sumAndFro(gram).sum, diag, sample: sampleEntries(gram, n) } };
    },
  };
}
