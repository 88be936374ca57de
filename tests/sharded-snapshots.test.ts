// Parameter snapshots (train's `snapshots` option) on the wide student sharded over 2 worker threads:
// W(k) gathered from the shards must equal the unsharded run's W(k) up to float32 summation order,
// and arrive before step k's events, as in the main thread.
import * as tf from '@tensorflow/tfjs-core';
import { createWasmBackend } from '@pikt/backend-wasm';
import { createRng, datasetFromArrays, type ParamTensors } from '@pikt/core';
import { createWideStudent } from '@pikt/models';
import { labelFit } from '@pikt/regularizers';
import { expectNoTensorLeak } from '@pikt/testkit';
import { createCallbackReporter, createNodeShardTransport, liveShardThreads, train, type ShardTransport } from '@pikt/trainer';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useBundledShardWorker } from '../packages/trainer/test-support/shard-worker.js';

beforeAll(async () => {
  await createWasmBackend().activate();
  await useBundledShardWorker();
});
afterEach(() => { expect(liveShardThreads()).toBe(0); });

const n = 48;
const d = 8;
const m = 256;
const rng = createRng(21);
const x = rng.child('x').fillNormal(new Float32Array(n * d), 0, 1 / Math.sqrt(d));
const targets = Float32Array.from({ length: n }, () => ((rng.nextUint32() & 1) === 1 ? 1 : -1));
const data = datasetFromArrays({ inputDim: d, outputDim: 1, train: { x, targets } });
const AT = [0, 3, 10, 16];

async function run(workers: number, shardTransport?: ShardTransport) {
  const log: string[] = [];
  const W = new Map<number, Float32Array>();
  const r = await train({
    model: createWideStudent({ width: m, blockSize: 64 }), terms: [{ name: 'label', regularizer: labelFit() }], data, readEvery: 4,
    settings: { seed: 5, optimizer: { kind: 'gd', lr: 0.05 }, steps: 16, recordOutputsAt: [0, 10], workers },
    ...(shardTransport ? { shardTransport } : {}),
    reporters: [createCallbackReporter((e) => { if (e.type === 'step-end' || e.type === 'eval-end') log.push(`${e.type}@${e.step}`); })],
    snapshots: {
      at: AT,
      async onParams(k, p: ParamTensors) {
        log.push(`params@${k}`);
        W.set(k, (await p.W.data()) as Float32Array);
        tf.dispose(Object.values(p));
      },
    },
  });
  const final = (await r.params.W.data()) as Float32Array;
  tf.dispose(Object.values(r.params));
  return { log, W, final };
}

const relMax = (got: Float32Array, want: Float32Array) => {
  let err = 0; let scale = 0;
  for (let i = 0; i < want.length; i++) { err = Math.max(err, Math.abs(got[i] - want[i])); scale = Math.max(scale, Math.abs(want[i])); }
  return err / scale;
};

describe('snapshots with settings.workers = 2', () => {
  it('gathers W(k) from the shards: equal to the unsharded W(k), in the same place among the events, nothing leaked', async () => {
    const one = await run(1);
    // The shards start through the transport given (a browser passes createWebWorkerShardTransport).
    const spawned: number[] = [];
    const node = createNodeShardTransport();
    const two = await expectNoTensorLeak(() => run(2, { spawn: (i) => { spawned.push(i); return node.spawn(i); } }));
    expect(spawned).toEqual([0, 1]);
    expect(two.log).toEqual(one.log);
    expect(one.log.slice(0, 4)).toEqual(['params@0', 'eval-end@0', 'step-end@1', 'step-end@2']);
    expect([...two.W.keys()]).toEqual(AT);
    expect(two.W.get(0)).toEqual(one.W.get(0)); // W(0): the same draw, split and gathered back exactly
    // float32 sums in another order (per shard, then across shards), as tests/sharded-trainer.test.ts bounds them.
    for (const k of AT.slice(1)) expect(relMax(two.W.get(k)!, one.W.get(k)!)).toBeLessThan(2e-5);
    expect(relMax(two.W.get(16)!, two.final)).toBe(0); // the last snapshot is the final W
    expect(relMax(two.W.get(3)!, two.W.get(0)!)).toBeGreaterThan(1e-4); // and they moved
  });
});
