// Issue 9, point 2: a dataset made by @pikt/datasets plugs straight into the trainer (one DatasetV1
// vocabulary: targets, classIds, inputDim / outputDim), with its test split evaluated.
import { createCpuBackend } from '@pikt/backend-cpu';
import { createInMemoryDataset, lupiSynthetic } from '@pikt/datasets';
import { createWideStudent } from '@pikt/models';
import { labelFit } from '@pikt/regularizers';
import { train } from '@pikt/trainer';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(async () => { await createCpuBackend().activate(); });

describe('@pikt/datasets -> train()', () => {
  it('train() reads createInMemoryDataset: at symmetric init u(0) = 0, so labelError(0) = ||y||_F = sqrt(n) on both splits', async () => {
    const s = lupiSynthetic({ setting: 'clean-features', d: 5, n: 12, nTest: 7, seed: 3 });
    const data = createInMemoryDataset({ id: 'lupi', train: s.train, test: s.test });
    const model = createWideStudent({ width: 16, symmetric: true });
    const r = await train({ model, terms: [labelFit()], data, settings: { seed: 1, optimizer: { kind: 'gd', lr: 0.01 }, steps: 1, evalEvery: 1, recordOutputsAt: [0] } });
    const first = r.evals.filter((e) => e.step === 0);
    expect(first.map((e) => [e.split, e.metrics.labelError])).toEqual([['train', Math.sqrt(12)], ['test', Math.sqrt(7)]]);
    expect(r.evals.filter((e) => e.split === 'test').map((e) => e.step)).toEqual([0, 1]);
    model.dispose?.(r.params);
  });
});
