import type * as tf from '@tensorflow/tfjs-core';
import type { ActivationPatternSupport, ModelV1, PiktError } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { linearModel } from '../test-support/linear-model.js';
import { driftRecords, resolveKernelDrift, type KernelDriftConsumer } from './kernel-drift.js';

// A model that claims patterns (the checks below never run it) and a tracker for 6 points, 4 neurons.
const support: ActivationPatternSupport = { neurons: 4, unavailable: (rows) => (rows > 100 ? 'too many rows' : undefined), compute: () => { throw new Error('not run'); } };
const withPatterns: ModelV1 = { ...linearModel({ vjp: true }), applyWithVjp: () => { throw new Error('not run'); }, activationPatterns: support };
const tracker: KernelDriftConsumer = { rows: 6, neurons: 4, fromTensorBlocks: async (_b: readonly tf.Tensor2D[]) => 0 };
const run = { n: 6, totalSteps: 10, fullBatch: true, workers: 1, mode: 'vjp' as const };

describe('resolveKernelDrift', () => {
  it('no option: nothing to track', () => {
    expect(resolveKernelDrift(undefined, linearModel(), run)).toBeUndefined();
  });

  it("'every' (the default) and a list of steps", () => {
    const every = resolveKernelDrift({ tracker }, withPatterns, run);
    expect([1, 7, 10].map((k) => every?.has(k))).toEqual([true, true, true]);
    const some = resolveKernelDrift({ tracker, at: [2, 10] }, withPatterns, run);
    expect([1, 2, 9, 10].map((k) => some?.has(k))).toEqual([false, true, false, true]);
  });

  it('refuses each case that cannot work, with its code and reason', () => {
    // [code, the problem without the hint that PiktError appends to the message]
    const code = (f: () => unknown) => {
      try { f(); } catch (e) { const { code: c, message, hint } = e as PiktError; return [c, message.slice(0, message.length - hint.length - 1)]; }
      return 'no error';
    };
    expect(code(() => resolveKernelDrift({ tracker }, linearModel({ vjp: true }), run))).toEqual(['PIKT_NO_ACTIVATION_PATTERNS',
      'kernelDrift cannot be tracked: model "linear-vjp" does not hand out its activation patterns (no activationPatterns/applyWithVjp).']);
    expect(code(() => resolveKernelDrift({ tracker }, withPatterns, { ...run, n: 200 }))).toEqual(['PIKT_NO_ACTIVATION_PATTERNS', 'kernelDrift cannot be tracked: model "linear-vjp": too many rows.']);
    expect(code(() => resolveKernelDrift({ tracker }, withPatterns, { ...run, mode: 'autodiff' }))[0]).toBe('PIKT_KERNEL_DRIFT_AUTODIFF');
    expect(code(() => resolveKernelDrift({ tracker }, withPatterns, { ...run, fullBatch: false }))).toEqual(['PIKT_KERNEL_DRIFT_MINI_BATCH',
      'kernelDrift cannot be tracked: mini-batch steps see only some of the 6 training rows, but the drift needs the patterns of all of them.']);
    expect(code(() => resolveKernelDrift({ tracker }, withPatterns, { ...run, workers: 2 }))).toEqual(['PIKT_KERNEL_DRIFT_WORKERS',
      "kernelDrift cannot be tracked: settings.workers is 2; the sharded student's patterns stay in its worker threads."]);
    expect(code(() => resolveKernelDrift({ tracker: {} as KernelDriftConsumer }, withPatterns, run))[0]).toBe('PIKT_INVALID_OPTION');
    expect(code(() => resolveKernelDrift({ tracker: { ...tracker, neurons: 5 } }, withPatterns, run))[0]).toBe('PIKT_SHAPE_MISMATCH');
    expect(code(() => resolveKernelDrift({ tracker, at: [3, 11] }, withPatterns, run))[1]).toBe('Invalid option "kernelDrift.at[1]": got 11.');
    expect(code(() => resolveKernelDrift({ tracker, at: 'some' as 'every' }, withPatterns, run))[0]).toBe('PIKT_INVALID_OPTION');
  });

  it('driftRecords lists the tracked steps of a history', () => {
    expect(driftRecords([{ step: 1 }, { step: 2, kernelDrift: 0.5 }, { step: 3, kernelDrift: 0 }])).toEqual([{ step: 2, drift: 0.5 }, { step: 3, drift: 0 }]);
  });
});
