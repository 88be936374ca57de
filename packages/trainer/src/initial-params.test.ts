import { createCpuBackend } from '@pikt/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, squaredLabel } from '../test-support/linear-model.js';
import { initialParams } from './initial-params.js';
import { train } from './train.js';

beforeAll(async () => { await createCpuBackend().activate(); });

describe('initialParams', () => {
  it('is the W(0) a run with the same seed starts from', async () => {
    const { data } = orthogonalProblem();
    const model = linearModel({ vjp: true, trainable: ['W'] });
    const w0 = initialParams(model, 'seed-a', { inputDim: 4, outputDim: 2 });
    // One GD step of lr -> 0 barely moves W: ||W(1) - W(0)|| equals the reported distance.
    const r = await train({ model, terms: [squaredLabel()], data, settings: { seed: 'seed-a', optimizer: { kind: 'gd', lr: 1e-3 }, steps: 1 } });
    const a = r.params.W.dataSync();
    const b = w0.W.dataSync();
    const diff = Math.sqrt(Array.from(a).reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeCloseTo(r.history[0].weightDistance as number, 6);
    model.dispose?.(w0);
    model.dispose?.(r.params);
  });
});
