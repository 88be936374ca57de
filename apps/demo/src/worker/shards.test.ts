import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, type DemoState } from '../state.js';
import { SHARD_MIN_WORK, shardsFor } from './shards.js';

const state = (o: Partial<DemoState>): DemoState => ({ ...DEFAULT_STATE, ...o });

describe('shardsFor: which runs train on the shard workers', () => {
  it('shards runs with n d m > 2^25 on wasm, and nothing else', () => {
    const mnist = { n: 500, d: 64 };
    expect(SHARD_MIN_WORK).toBe(2 ** 25);
    expect(shardsFor(state({ width: 2048 }), mnist, false)).toBe(2); // the benchmark's run
    expect(shardsFor(state({ width: 2048, batch: 50 }), mnist, false)).toBe(2); // mini-batch SGD shards too
    expect(shardsFor(state({ width: 1024 }), mnist, false)).toBe(1); // 500 * 64 * 1024 = 2^25: too short a step
    expect(shardsFor(state({ width: 1050 }), mnist, false)).toBe(2);
    expect(shardsFor(state({ width: 16384 }), { n: 200, d: 3 }, false)).toBe(1); // a plane set
    expect(shardsFor(state({ width: 8192, backend: 'webgl' }), mnist, false)).toBe(1); // shards run wasm only
    expect(shardsFor(state({ width: 8192, backend: 'webgpu' }), mnist, false)).toBe(1);
    expect(shardsFor(state({ width: 8192, regularizer: 'feature' }), mnist, true)).toBe(1); // shards return outputs only
  });
});
