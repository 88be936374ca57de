/** (d) the kernel-regime analysis on MNIST (packages/ntk/bench: Lanczos route; NumPy: numpy_route.py). */
import { hinf } from '@pikt/ntk';
import { analysisEta, lanczosAnalysis, writeRouteInputs } from '../../../packages/ntk/bench/analysis-route.js';
import { mnistBinary, noisyTeacher } from '../../../packages/ntk/bench/mnist.js';
import type { CaseSize } from '../workloads.js';
import type { PiktWorkload } from './common.js';

export async function setup(size: CaseSize, dir: string): Promise<PiktWorkload> {
  const { n } = size;
  const { x, y, d } = mnistBinary(n);
  const z = noisyTeacher(y);
  const H = (await hinf(x, null, { inputDim: d, onWarning: () => undefined })).data;
  const problem = { H, y, z, lambda: 1, eps: 1e-2 };
  const eta = analysisEta(problem);
  writeRouteInputs(dir, problem, eta);
  return {
    info: { n, d, eta, timed: 'Lanczos on the float64 Hinf: curves k=0..1000, iterations to eps, capacity, complexity (Hinf given)' },
    async run() {
      const t0 = performance.now();
      const a = lanczosAnalysis(problem, eta);
      const ms = performance.now() - t0;
      return { ms, check: { mu1: a.p.stability.mu1, total1000: a.curves.total[1000], kTeacher: a.iters.withTeacher, kPlain: a.iters.withoutTeacher, capacity: a.cap.value, complexity: a.cx.value } };
    },
  };
}
