import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT, createMemoryCheckpointStore, deserializeCheckpoint, serializeCheckpoint, type Checkpoint } from './checkpoint.js';

function sampleCheckpoint(step = 3): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT, runId: 'run-x', configHash: 'abcd0123', config: { seed: 1 }, step, backend: 'cpu', rngKey: [1, 4294967295],
    params: { W: { shape: [2, 2], dtype: 'float32', data: new Float32Array([1, -0, 3.5, Number.MIN_VALUE]) }, idx: { shape: [3], dtype: 'int32', data: new Int32Array([7, -1, 2]) } },
    optimizer: { kind: 'adam', t: 3, slots: { 'm/W': { shape: [2, 2], dtype: 'float32', data: new Float32Array([0.1, 0.2, 0.3, 0.4]) } } },
    monitor: { recent: [3, 2, 1], best: 1 },
    history: [{ step: 1, loss: 2, terms: { a: 2 }, weightDistance: 0.5 }],
    evals: [{ type: 'eval-end', runId: 'run-x', step: 0, split: 'train', metrics: { loss: 2 }, outputs: [1, 2] }],
  };
}

describe('checkpoint serialization', () => {
  it('round-trips every field and every bit (-0, denormals, int32)', () => {
    const c = sampleCheckpoint();
    const { manifest, bytes } = serializeCheckpoint(c);
    expect(manifest.byteLength).toBe(4 * (3 + 4 + 4));
    expect(Object.keys(manifest.params)).toEqual(['W', 'idx']);
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    const back = deserializeCheckpoint(manifest, bytes);
    expect(back).toEqual(c);
    expect(Object.is(back.params.W.data[1], -0)).toBe(true);
    expect(back.params.idx.data).toBeInstanceOf(Int32Array);
  });
  it('reads from an unaligned byte view and rejects a wrong format or length', () => {
    const { manifest, bytes } = serializeCheckpoint(sampleCheckpoint());
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    expect(deserializeCheckpoint(manifest, padded.subarray(1))).toEqual(sampleCheckpoint());
    expect(() => deserializeCheckpoint({ ...manifest, format: 'x' as never }, bytes, 'c.json')).toThrow('c.json has format "x", expected "pikt-checkpoint/1".');
    expect(() => deserializeCheckpoint(manifest, bytes.subarray(4), 'c.json')).toThrow('c.json: the weights hold 40 bytes, the manifest says 44.');
    const lying = structuredClone(manifest);
    lying.params.W.shape = [3, 2];
    expect(() => deserializeCheckpoint(lying, bytes)).toThrow('tensor "W" (shape [3,2]) does not fit');
  });
  it('the memory store keeps a private copy', async () => {
    const store = createMemoryCheckpointStore();
    expect(await store.load()).toBeUndefined();
    const c = sampleCheckpoint();
    await store.save(c);
    (c.params.W.data as Float32Array)[0] = 99;
    expect((await store.load())?.params.W.data[0]).toBe(1);
    expect(store.saves).toBe(1);
  });
});
