import { createCpuBackend } from '@pikt/backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizer } from '@pikt/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { linearModel, orthogonalProblem, squaredLabel } from '../test-support/linear-model.js';
import { train } from './train.js';

beforeAll(async () => { await createCpuBackend().activate(); });
afterEach(() => { vi.unstubAllGlobals(); });

const label = squaredLabel();

/** The label term, taking at least 25 ms a step, so the loop's 20 ms yield is due after every update. */
const slowLabel = defineRegularizer({
  id: 'test-slow-label', needs: ['targets'], defaults: {},
  compute: (input, _o, clock) => {
    const t0 = performance.now();
    while (performance.now() - t0 < 25) { /* busy: a slow step */ }
    return label.compute(input, clock);
  },
});

/** Train 4 slow steps and count the zero-delay timers and the MessageChannels made while it ran. */
async function countYields(): Promise<{ zeroTimers: number; channels: number; W: number[] }> {
  const { data } = orthogonalProblem();
  const realTimeout = globalThis.setTimeout;
  let zeroTimers = 0;
  vi.stubGlobal('setTimeout', ((fn: () => void, ms?: number, ...rest: unknown[]) => {
    if (!ms) zeroTimers += 1;
    return realTimeout(fn, ms, ...rest);
  }) as typeof setTimeout);
  let channels = 0;
  const RealChannel = globalThis.MessageChannel;
  if (RealChannel) vi.stubGlobal('MessageChannel', class extends RealChannel { constructor() { super(); channels += 1; } });
  const r = await train({ model: linearModel({ vjp: true, trainable: ['W'] }), terms: [{ name: 'label', regularizer: slowLabel() }], data, settings: { seed: 3, optimizer: { kind: 'gd', lr: 0.1 }, steps: 4 } });
  const W = Array.from(await r.params.W.data());
  tf.dispose(Object.values(r.params));
  vi.unstubAllGlobals();
  return { zeroTimers, channels, W };
}

describe('yielding to the event loop between steps', () => {
  it('uses a MessageChannel, never a (4 ms clamped) setTimeout(0), where setImmediate is missing (browsers)', async () => {
    const node = await countYields();
    expect(node).toMatchObject({ zeroTimers: 0, channels: 0 }); // Node: setImmediate
    vi.stubGlobal('setImmediate', undefined);
    const browser = await countYields();
    expect(browser.zeroTimers).toBe(0);
    expect(browser.channels).toBe(4); // one yield after each of the 4 updates, each > 20 ms
    expect(browser.W).toEqual(node.W);
    vi.stubGlobal('setImmediate', undefined);
    vi.stubGlobal('MessageChannel', undefined);
    const bare = await countYields();
    expect(bare.zeroTimers).toBe(4);
    expect(bare.W).toEqual(node.W);
  });
});
