import * as tf from '@tensorflow/tfjs-core';
import { createCpuBackend } from '@pikt/backend-cpu';
import { createRng } from '@pikt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checksum32, ParamsFileError, serializeParams } from './params-format.js';
import { deserializeParams } from './params-load.js';
import { createWideStudent } from './wide-student.js';

beforeAll(async () => { await createCpuBackend().activate(); });

const io = { inputDim: 3, outputDim: 2 };

describe('checksum32', () => {
  it('is FNV-1a over little-endian words, then tail bytes', () => {
    expect(checksum32(new Uint8Array(0))).toBe('811c9dc5');
    // One word 0x04030201: (0x811c9dc5 ^ 0x04030201) * 0x01000193 mod 2^32.
    const expected = (Math.imul(0x811c9dc5 ^ 0x04030201, 0x01000193) >>> 0).toString(16).padStart(8, '0');
    expect(checksum32(new Uint8Array([1, 2, 3, 4]))).toBe(expected);
    expect(checksum32(new Uint8Array([1, 2, 3, 4, 5]))).not.toBe(expected);
  });
});

describe('serializeParams / deserializeParams', () => {
  it('round-trips bit-exactly with the model id, options, io and meta', async () => {
    const model = createWideStudent({ width: 6, symmetric: false, trainLayers: 'both' });
    const params = model.init(createRng(1), io);
    const { manifest, weights } = await serializeParams(model, params, io, { meta: { note: 'x' } });
    expect(manifest.weightsManifest[0].weights).toEqual([
      { name: 'W', shape: [6, 3], dtype: 'float32' }, { name: 'a', shape: [6, 2], dtype: 'float32' },
    ]);
    expect(manifest.byteLength).toBe(4 * (18 + 12));
    const loaded = deserializeParams(JSON.parse(JSON.stringify(manifest)), weights, { expected: model, io });
    expect(loaded.modelId).toBe('wide-student');
    expect(loaded.options).toEqual(model.options);
    expect(loaded.meta).toEqual({ note: 'x' });
    for (const name of ['W', 'a'] as const) {
      expect(loaded.params[name].shape).toEqual(params[name].shape);
      expect(new Uint32Array(loaded.params[name].dataSync().buffer)).toEqual(new Uint32Array(params[name].dataSync().buffer));
    }
  });
  it('refuses a truncated weights buffer, naming both sizes and the tensors', async () => {
    const model = createWideStudent({ width: 4 });
    const { manifest, weights } = await serializeParams(model, model.init(createRng(2), io), io);
    expect(() => deserializeParams(manifest, weights.subarray(0, 40))).toThrow(ParamsFileError);
    expect(() => deserializeParams(manifest, weights.subarray(0, 40))).toThrow(/weights.bin is truncated: it has 40 bytes but model.json describes 80 bytes \(W \[4, 3\], a \[4, 2\]\)/);
  });
  it('detects weights from another save (checksum) and a manifest of another model', async () => {
    const model = createWideStudent({ width: 4, symmetric: false });
    const a = await serializeParams(model, model.init(createRng(3), io), io);
    const b = await serializeParams(model, model.init(createRng(4), io), io);
    expect(() => deserializeParams(a.manifest, b.weights)).toThrow(/does not match model.json: checksum/);
    expect(() => deserializeParams(a.manifest, a.weights, { expected: { id: 'mlp-teacher' } })).toThrow(/model "wide-student", not "mlp-teacher"/);
    expect(() => deserializeParams(a.manifest, a.weights, { expected: createWideStudent({ width: 8 }) })).toThrow(/W is \[4, 3\], the model needs \[8, 3\]/);
    expect(() => deserializeParams(a.manifest, a.weights, { expected: createWideStudent({ width: 4, features: 'projected' }) })).toThrow(/missing P/);
    expect(() => deserializeParams(a.manifest, a.weights, { io: { inputDim: 5, outputDim: 2 } })).toThrow(/saved for io/);
  });
  it('rejects malformed manifests with the reason', () => {
    expect(() => deserializeParams({ format: 'tfjs' }, new Uint8Array())).toThrow(/not a pikt params manifest/);
    expect(() => deserializeParams({ format: 'pikt-params', formatVersion: 9 }, new Uint8Array())).toThrow(/formatVersion 9/);
    expect(() => deserializeParams({ format: 'pikt-params', formatVersion: 1, modelId: 'm', io, weightsManifest: [{ paths: [], weights: [{ name: 'W', shape: [2], dtype: 'float32' }] }], byteLength: 4, checksum: '0' }, new Uint8Array(4)))
      .toThrow(/add up to 8 bytes but byteLength says 4/);
  });
  it('refuses non-float32 parameters', async () => {
    await expect(serializeParams({ id: 'm' }, { t: tf.tensor([1], [1], 'int32') }, io)).rejects.toThrow(/dtype int32/);
  });
});
