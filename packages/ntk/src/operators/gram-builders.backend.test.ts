import { expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { hinf } from '../kernels/analytic-kernel.js';
import { unitPoints } from '../testing/fixtures.js';
import { twoLayerBlockGram, twoLayerBlockGramAsync } from './gram-builders.js';

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

  it('the async builder (await data(), for GPU backends) gives the same float32 store and leaks no tensors', async () => {
    const d = 30;
    const x = unitPoints(70, d, 3);
    const sync = twoLayerBlockGram(x, { inputDim: d, blockSize: 32, innerProducts: 'tfjs', onWarning: () => {} });
    const g = await expectNoTensorLeak(() => twoLayerBlockGramAsync(x, { inputDim: d, blockSize: 32, innerProducts: 'tfjs', onWarning: () => {} }), 'twoLayerBlockGramAsync');
    expect(Array.from(g.toDense())).toEqual(Array.from(sync.toDense()));
    const f64 = await twoLayerBlockGramAsync(x, { inputDim: d, blockSize: 32, onWarning: () => {} });
    expect(Array.from(f64.toDense())).toEqual(Array.from(twoLayerBlockGram(x, { inputDim: d, blockSize: 32, onWarning: () => {} }).toDense()));
  });
});
