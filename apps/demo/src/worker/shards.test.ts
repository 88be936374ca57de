import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, type DemoState } from '../state.js';
import { SHARD_MIN_WIDTH, shardsFor } from './shards.js';

const state = (o: Partial<DemoState>): DemoState => ({ ...DEFAULT_STATE, ...o });

describe('shardsFor: which runs train on the shard workers', () => {
  it('shards wide students on wasm, and nothing else', () => {
    expect(SHARD_MIN_WIDTH).toBe(1024);
    expect(shardsFor(state({ width: 2048 }), false)).toBe(2);
    expect(shardsFor(state({ width: 1024, batch: 50 }), false)).toBe(2); // mini-batch SGD shards too
    expect(shardsFor(state({ width: 1022 }), false)).toBe(1); // too narrow to pay for the messages
    expect(shardsFor(state({ width: 8192, backend: 'webgl' }), false)).toBe(1); // shards run wasm only
    expect(shardsFor(state({ width: 8192, backend: 'webgpu' }), false)).toBe(1);
    expect(shardsFor(state({ width: 8192, regularizer: 'feature' }), true)).toBe(1); // shards return outputs only
  });
});
