import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { encodeIdx, parseIdx, type IdxArray } from './idx.js';

function expectFormatError(fn: () => unknown, match: Partial<DataFormatError>, message: RegExp): void {
  let caught: unknown;
  try { fn(); } catch (e) { caught = e; }
  expect(caught).toBeInstanceOf(DataFormatError);
  expect(caught).toMatchObject(match);
  expect((caught as Error).message).toMatch(message);
}

describe('parseIdx', () => {
  it('reads the MNIST label layout byte for byte', () => {
    // magic 0x00000801, 3 items, labels 7 2 1
    const bytes = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
    const arr = parseIdx(bytes, 'labels');
    expect(arr.dtype).toBe('uint8');
    expect(arr.dims).toEqual([3]);
    expect(Array.from(arr.data)).toEqual([7, 2, 1]);
    expect((arr.data as Uint8Array).buffer).toBe(bytes.buffer); // a view, no copy
  });

  it('round-trips every element type through encodeIdx (big-endian)', () => {
    const cases: IdxArray[] = [
      { dtype: 'uint8', dims: [2, 3], data: Uint8Array.from([0, 1, 2, 253, 254, 255]) },
      { dtype: 'int8', dims: [4], data: Int8Array.from([-128, -1, 0, 127]) },
      { dtype: 'int16', dims: [3], data: Int16Array.from([-32768, 258, 32767]) },
      { dtype: 'int32', dims: [1, 2], data: Int32Array.from([-2147483648, 16909060]) },
      { dtype: 'float32', dims: [2], data: Float32Array.from([1.5, -0.25]) },
      { dtype: 'float64', dims: [2, 1, 1], data: Float64Array.from([Math.PI, -1e300]) },
    ];
    for (const c of cases) {
      const parsed = parseIdx(encodeIdx(c));
      expect(parsed.dtype).toBe(c.dtype);
      expect(parsed.dims).toEqual(c.dims);
      expect(Array.from(parsed.data)).toEqual(Array.from(c.data));
    }
    // 16909060 = 0x01020304 is stored most significant byte first.
    expect(Array.from(encodeIdx(cases[3]).subarray(16, 20))).toEqual([1, 2, 3, 4]);
  });

  it('rejects a wrong magic number, naming the file and the magic found', () => {
    expectFormatError(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), 'x.gz'), { file: 'x.gz', offset: 0 }, /wrong IDX magic number.*found 0x1f8b0800/);
    expectFormatError(() => parseIdx(Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0])), {}, /wrong IDX magic/);
    expectFormatError(() => parseIdx(Uint8Array.from([0, 0, 8, 0])), {}, /wrong IDX magic/);
  });

  it('rejects truncated headers and data, naming the first incomplete record', () => {
    expectFormatError(() => parseIdx(Uint8Array.from([0, 0])), { offset: 0 }, /truncated IDX header.*found 2 bytes/);
    expectFormatError(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0])), { offset: 10 }, /truncated IDX header: expected 16 header bytes/);
    const full = encodeIdx({ dtype: 'uint8', dims: [4, 2, 2], data: new Uint8Array(16) });
    expectFormatError(() => parseIdx(full.subarray(0, full.length - 5), 'img'), { file: 'img', record: 2, offset: full.length - 5 },
      /truncated IDX data: expected 16 data bytes for dims \[4, 2, 2\] of uint8, found 11 bytes/);
  });

  it('rejects trailing bytes instead of ignoring them', () => {
    const full = encodeIdx({ dtype: 'uint8', dims: [2], data: Uint8Array.from([1, 2]) });
    const longer = new Uint8Array(full.length + 1);
    longer.set(full);
    expectFormatError(() => parseIdx(longer), { offset: full.length }, /trailing bytes/);
  });

  it('rejects NaN and infinite floats, naming the record', () => {
    const bytes = encodeIdx({ dtype: 'float32', dims: [3, 2], data: Float32Array.from([1, 2, 3, NaN, 5, 6]) });
    expectFormatError(() => parseIdx(bytes, 'f'), { record: 1, offset: 12 + 3 * 4 }, /non-finite IDX value.*found NaN/);
  });

  it('encodeIdx refuses inconsistent arrays', () => {
    expect(() => encodeIdx({ dtype: 'uint8', dims: [3], data: new Uint8Array(2) })).toThrow(DataFormatError);
  });
});
