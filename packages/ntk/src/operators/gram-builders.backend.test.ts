import { expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { hinf } from '../kernels/analytic-kernel.js';
import { unitPoints } from '../testing/fixtures.js';
import { twoLayerBlockGram } from './gram-builders.js';

describe('twoLayerBlockGram with tfjs inner products', () => {
  it('matches the float64 path to float32 precision and leaks no tensors', async () => {
    const d = 30;
    const x = unitPoints(70, d, 3);
    const g = await expectNoTensorLeak(() => twoLayerBlockGram(x, { inputDim: d, blockSize: 32, innerProducts: 'tfjs', onWarning: () => {} }), 'twoLayerBlockGram');
    const ref = hinf(x, null, { inputDim: d, onWarning: () => {} }).data;
    const dense = g.toDense();
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(dense[i] - ref[i]));
    expect(worst).toBeLessThan(1e-6);
  });
});
