import { DataFormatError } from '../errors.js';

/** Element types of the IDX format (LeCun et al., MNIST database page): type byte -> dtype. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX array: `dims[0]` is the record count, data is row-major. */
export interface IdxArray {
  dtype: IdxDtype;
  dims: number[];
  data: IdxData;
}

const TYPES: ReadonlyArray<{ code: number; dtype: IdxDtype; size: number }> = [
  { code: 0x08, dtype: 'uint8', size: 1 },
  { code: 0x09, dtype: 'int8', size: 1 },
  { code: 0x0b, dtype: 'int16', size: 2 },
  { code: 0x0c, dtype: 'int32', size: 4 },
  { code: 0x0d, dtype: 'float32', size: 4 },
  { code: 0x0e, dtype: 'float64', size: 8 },
];

function hex(v: number, width: number): string {
  return `0x${v.toString(16).padStart(width, '0')}`;
}

/**
 * Parses an uncompressed IDX file. Layout: magic = [0x00, 0x00, type, rank], then `rank` big-endian
 * uint32 dimensions, then prod(dims) elements, big-endian, row-major. The data length must equal
 * prod(dims) * elementSize exactly: a short file is "truncated" (naming the first incomplete
 * record), a long one has "trailing bytes"; neither is silently accepted.
 *
 * For uint8 data (MNIST, Fashion-MNIST) the returned array is a view on `bytes` (no copy).
 */
export function parseIdx(bytes: Uint8Array, file = '<bytes>'): IdxArray {
  if (bytes.length < 4) {
    throw new DataFormatError({ file, offset: 0 }, 'truncated IDX header', 'at least 4 bytes (the magic number)', `${bytes.length} bytes`);
  }
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const type = TYPES.find((t) => t.code === bytes[2]);
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined || bytes[3] === 0) {
    throw new DataFormatError({ file, offset: 0 }, 'wrong IDX magic number',
      `0x0000TTRR with type TT in {08, 09, 0b, 0c, 0d, 0e} and rank RR >= 1 (0x00000803 for images, 0x00000801 for labels)`,
      hex(magic, 8), 'This is not an IDX file (or it is still compressed with something other than gzip).');
  }
  const rank = bytes[3];
  const headerLen = 4 + 4 * rank;
  if (bytes.length < headerLen) {
    throw new DataFormatError({ file, offset: bytes.length }, 'truncated IDX header',
      `${headerLen} header bytes for rank ${rank}`, `${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const recordElems = dims.slice(1).reduce((a, b) => a * b, 1);
  const recordBytes = recordElems * type.size;
  const expected = dims[0] * recordBytes;
  const found = bytes.length - headerLen;
  if (found < expected) {
    const record = recordBytes > 0 ? Math.floor(found / recordBytes) : undefined;
    throw new DataFormatError({ file, offset: bytes.length, record }, 'truncated IDX data',
      `${expected} data bytes for dims [${dims.join(', ')}] of ${type.dtype}`, `${found} bytes`,
      'The file was cut short (interrupted download or copy): fetch it again.');
  }
  if (found > expected) {
    throw new DataFormatError({ file, offset: headerLen + expected }, 'trailing bytes after IDX data',
      `${expected} data bytes for dims [${dims.join(', ')}] of ${type.dtype}`, `${found} bytes`,
      'The header counts do not match the data: the file is corrupt or two files were concatenated.');
  }
  const count = expected / type.size;
  const data = decode(bytes, view, headerLen, count, type.dtype);
  if (type.dtype === 'float32' || type.dtype === 'float64') {
    for (let i = 0; i < count; i++) {
      if (!Number.isFinite(data[i])) {
        throw new DataFormatError({ file, offset: headerLen + i * type.size, record: recordElems > 0 ? Math.floor(i / recordElems) : 0 },
          'non-finite IDX value', 'a finite number', String(data[i]), 'Remove or impute NaN/infinite values before saving the file.');
      }
    }
  }
  return { dtype: type.dtype, dims, data };
}

function decode(bytes: Uint8Array, view: DataView, at: number, count: number, dtype: IdxDtype): IdxData {
  switch (dtype) {
    case 'uint8': return bytes.subarray(at, at + count);
    case 'int8': return new Int8Array(bytes.slice(at, at + count).buffer);
    case 'int16': { const o = new Int16Array(count); for (let i = 0; i < count; i++) o[i] = view.getInt16(at + 2 * i, false); return o; }
    case 'int32': { const o = new Int32Array(count); for (let i = 0; i < count; i++) o[i] = view.getInt32(at + 4 * i, false); return o; }
    case 'float32': { const o = new Float32Array(count); for (let i = 0; i < count; i++) o[i] = view.getFloat32(at + 4 * i, false); return o; }
    case 'float64': { const o = new Float64Array(count); for (let i = 0; i < count; i++) o[i] = view.getFloat64(at + 8 * i, false); return o; }
  }
}

/** Serializes an array in IDX format (the inverse of parseIdx), e.g. to export a task's data. */
export function encodeIdx(arr: IdxArray): Uint8Array {
  const type = TYPES.find((t) => t.dtype === arr.dtype);
  const count = arr.dims.reduce((a, b) => a * b, 1);
  if (!type || arr.dims.length < 1 || arr.dims.length > 255 || arr.data.length !== count) {
    throw new DataFormatError({ file: '<encodeIdx>' }, 'inconsistent IDX array',
      `a known dtype, 1 to 255 dims and ${count} elements`, `dtype ${arr.dtype}, ${arr.dims.length} dims, ${arr.data.length} elements`);
  }
  const headerLen = 4 + 4 * arr.dims.length;
  const out = new Uint8Array(headerLen + count * type.size);
  const view = new DataView(out.buffer);
  out[2] = type.code;
  out[3] = arr.dims.length;
  arr.dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const at = headerLen;
  for (let i = 0; i < count; i++) {
    const v = arr.data[i];
    switch (arr.dtype) {
      case 'uint8': out[at + i] = v; break;
      case 'int8': view.setInt8(at + i, v); break;
      case 'int16': view.setInt16(at + 2 * i, v, false); break;
      case 'int32': view.setInt32(at + 4 * i, v, false); break;
      case 'float32': view.setFloat32(at + 4 * i, v, false); break;
      case 'float64': view.setFloat64(at + 8 * i, v, false); break;
    }
  }
  return out;
}
