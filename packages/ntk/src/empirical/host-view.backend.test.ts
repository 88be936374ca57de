import * as tf from '@tensorflow/tfjs-core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
import { wasmHeapView } from './host-view.js';

const backend = process.env.PIKT_TEST_BACKEND ?? tf.getBackend();

describe(`wasmHeapView (${backend})`, () => {
  it('on wasm: float32 tensors read in place, equal to data(), a view of the backend heap; otherwise undefined', async () => {
    await expectNoTensorLeak(async () => {
      const values = Float32Array.from({ length: 3 * 37 }, (_, k) => (k % 5 === 0 ? 0 : k % 3 === 0 ? -0 : 1 + k / 8));
      const t = tf.tensor2d(values, [3, 37]);
      // A computed tensor (a step mask, as the wide student keeps them) and a block of it.
      const step = tf.tidy(() => tf.step(tf.sub(t, 2)));
      const block = tf.slice(step, [1, 0], [2, 37]);
      const asInt = tf.cast(t, 'int32');
      const views = [t, step, block].map((u) => wasmHeapView(u));
      if (backend === 'wasm') {
        for (const [q, u] of [t, step, block].entries()) {
          const view = views[q] as Float32Array;
          expect(view).toBeInstanceOf(Float32Array);
          expect(Array.from(view)).toEqual(Array.from(await u.data()));
          // In place: the backend's heap itself, not a copy (data() copies).
          const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8;
          expect(view.buffer).toBe(heap.buffer);
        }
        expect(Array.from(views[0] as Float32Array)).toEqual(Array.from(values));
      } else {
        expect(views).toEqual([undefined, undefined, undefined]);
      }
      expect(wasmHeapView(asInt)).toBeUndefined();
      tf.dispose([t, step, block, asInt]);
    }, 'wasmHeapView');
  });
});
