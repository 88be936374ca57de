import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng, type ParamTensors } from '@pikt/core';
import { expectNoTensorLeak } from '@pikt/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { linearModel, orthogonalProblem, quadraticPi, squaredLabel } from '../../test-support/linear-model.js';
import { createCallbackReporter } from '../reporters.js';
import { train, type TrainOptions } from '../train.js';

beforeAll(async () => { await createCpuBackend().activate(); });

const { data } = orthogonalProblem();
const terms = [{ name: 'label', regularizer: squaredLabel() }, { name: 'pi', regularizer: quadraticPi({ lambda: 1 }) }];
const settings = { seed: 4, optimizer: { kind: 'gd' as const, lr: 0.1 }, steps: 12, evalEvery: 4, recordOutputsAt: [0, 5, 12] };
const model = () => linearModel({ vjp: true, trainable: ['W'] });

async function finalW(steps: number): Promise<number[]> {
  const r = await train({ model: model(), terms, data, settings: { ...settings, steps, recordOutputsAt: [] } });
  const W = Array.from(await r.params.W.data());
  tf.dispose(Object.values(r.params));
  return W;
}

/** A run with snapshots at `at`: the log of events and snapshots in arrival order, and each W(k) read. */
async function snapshotRun(at: number[], extra: Partial<TrainOptions> = {}) {
  const log: string[] = [];
  const W = new Map<number, number[]>();
  const r = await train({
    model: model(), terms, data, settings, readEvery: 5, ...extra,
    reporters: [createCallbackReporter((e) => { if (e.type === 'step-end' || e.type === 'eval-end') log.push(`${e.type}${e.type === 'eval-end' ? `:${e.split}` : ''}@${e.step}`); })],
    snapshots: {
      at,
      async onParams(k, p: ParamTensors) {
        log.push(`params@${k}`);
        W.set(k, Array.from(await p.W.data()));
        tf.dispose(Object.values(p));
      },
    },
  });
  tf.dispose(Object.values(r.params));
  return { log, W };
}

describe('snapshots: W(k) at chosen steps', () => {
  it('hands out W(k) equal to a k-step run, before any event of step k, and leaks nothing', async () => {
    const { log, W } = await expectNoTensorLeak(() => snapshotRun([0, 1, 5, 12, 40]));
    expect([...W.keys()]).toEqual([0, 1, 5, 12]); // 40 is never reached
    for (const k of [1, 5, 12]) expect(W.get(k)).toEqual(await finalW(k));
    const init = model().init(createRng(settings.seed).child('init'), { inputDim: 4, outputDim: 2 });
    expect(W.get(0)).toEqual(Array.from(await init.W.data())); // W(0): the run's own draw
    tf.dispose(Object.values(init));
    expect(log.join(' ')).toBe('params@0 eval-end:train@0 params@1 step-end@1 step-end@2 step-end@3 step-end@4 eval-end:train@4 '
      + 'params@5 step-end@5 eval-end:train@5 step-end@6 step-end@7 step-end@8 eval-end:train@8 step-end@9 step-end@10 step-end@11 params@12 step-end@12 eval-end:train@12');
  });

  it('frees the snapshots a failed run never handed out', async () => {
    const got: number[] = [];
    await expectNoTensorLeak(async () => {
      await expect(train({
        model: model(), terms, data, settings, readEvery: 12,
        snapshots: { at: [1, 5, 12], onParams(k, p) { got.push(k); tf.dispose(Object.values(p)); if (k === 1) throw new Error('stop at 1'); } },
      })).rejects.toThrow('stop at 1');
    });
    expect(got).toEqual([1]);
  });
});
