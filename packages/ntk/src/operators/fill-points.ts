import { InvalidOptionError, PiktError } from '@pikt/core';
import { requireFinite, type RealArray } from '@pikt/linalg';
import { rowNorms } from '../kernels/inner-products.js';

/** The largest |c| the int16 tiles take (int16 lanes, and no pair of products past int32). */
const INT16_MAX = 32767;
/** The int32 lanes hold every partial sum exactly while d max|c|^2 stays below 2^31. */
const INT32_LIMIT = 2 ** 31;

/** Points for `buildTwoLayerBlockGram`: floats, or integer arrays (8- and 16-bit pixels) for the exact tiles. */
export type PointArray = RealArray | Uint8Array | Uint8ClampedArray | Int8Array | Uint16Array | Int16Array;

/** Which tile kernel computes the inner products of `buildTwoLayerBlockGram`. */
export type FillTiles = 'auto' | 'float32' | 'int16';

/**
 * The points as the parallel fill reads them: x_i = s_i c_i (s_i = 1 without `rowScales`), in
 * 4-row panels (layout in @pikt/linalg's gram-tile-kernel.ts) of int16 c_i (the exact integer
 * tiles) or of float32 s_i c_i.
 */
export interface FillPoints {
  /** s_i for the integer tiles, which compute c_i . c_j exactly (int32) to scale by s_i s_j in float64 (null on the float32 path, where the panel holds s_i c_i). */
  readonly scales: Float64Array | null;
  /** |x_i| = |s_i| |c_i| in float64 (from the exact integer sum of squares on the integer path). */
  readonly norms: Float64Array;
  /** Bytes of one 4-row group of the panel. */
  readonly groupBytes: number;
  readonly panelBytes: number;
  /** Write the panel at byte offset `at` of `buffer`. */
  pack(buffer: ArrayBufferLike, at: number): void;
  /** The integer tiles' chunk lists (null on the float32 path). */
  readonly lists: ChunkLists | null;
}

/**
 * Per row pair (rows 2p, 2p + 1), the byte offsets 64k of the 8-coordinate chunks k where the pair
 * is not all zero, as int32 at stride bytes apart (`gramTilesI16` visits only those: the others
 * add exactly 0), after the lists' lengths.
 */
export interface ChunkLists {
  /** Bytes between two pairs' lists (4 per chunk of a row). */
  readonly stride: number;
  /** Bytes of the lengths (int32, one a pair) and the lists that `pack` writes. */
  readonly bytes: number;
  /** Bytes from the lengths to the first list. */
  readonly listsOffset: number;
  /** Write the lengths at byte offset `at` of `buffer`, the lists `listsOffset` after them. */
  pack(buffer: ArrayBufferLike, at: number): void;
}

function chunkLists(xs: ArrayLike<number>, n: number, d: number): ChunkLists {
  const chunks = Math.ceil(d / 8);
  const pairs = Math.ceil(n / 2);
  const offsets = new Int32Array(pairs * chunks);
  const counts = new Int32Array(pairs);
  for (let p = 0; p < pairs; p++) {
    for (let k = 0; k < chunks; k++) {
      let nonzero = false;
      for (let i = 2 * p; i < Math.min(n, 2 * p + 2) && !nonzero; i++) {
        for (let j = 8 * k; j < Math.min(d, 8 * k + 8); j++) if (xs[i * d + j] !== 0) { nonzero = true; break; }
      }
      if (nonzero) offsets[p * chunks + counts[p]++] = 64 * k;
    }
  }
  const listsOffset = 4 * pairs;
  return {
    stride: 4 * chunks, bytes: listsOffset + 4 * pairs * chunks, listsOffset,
    pack(buffer, at) {
      new Int32Array(buffer, at, pairs).set(counts);
      new Int32Array(buffer, at + listsOffset, pairs * chunks).set(offsets);
    },
  };
}

/**
 * The largest |c| when every coordinate is an integer the int16 tiles can multiply exactly
 * (|c| <= 32767 and d max|c|^2 < 2^31: 8-bit pixels at any d up to 33,000), else -1.
 */
function integerBound(x: ArrayLike<number>, d: number): number {
  let max = 0;
  const typed = x instanceof Uint8Array || x instanceof Int8Array || x instanceof Uint8ClampedArray || x instanceof Int16Array || x instanceof Uint16Array;
  for (let t = 0; t < x.length; t++) {
    const v = x[t];
    if (!typed && !Number.isInteger(v)) return -1;
    const a = v < 0 ? -v : v;
    if (a > max) max = a;
  }
  return max <= INT16_MAX && d * max * max < INT32_LIMIT ? max : -1;
}

/** Check `rowScales` and resolve 'unit' (1 / |c_i| from the rows' norms; 1 for a zero row). */
function resolveScales(norms: Float64Array, n: number, rowScales: ArrayLike<number> | 'unit' | undefined): Float64Array | null {
  if (rowScales === undefined) return null;
  if (rowScales === 'unit') return norms.map((r) => (r > 0 ? 1 / r : 1));
  if (typeof rowScales !== 'object' || rowScales === null || typeof rowScales.length !== 'number') {
    throw new InvalidOptionError('rowScales', rowScales, "'unit' or one number per point");
  }
  if (rowScales.length !== n) throw new InvalidOptionError('rowScales', `${rowScales.length} numbers`, `one number per point (${n})`);
  requireFinite('rowScales', rowScales);
  return Float64Array.from(rowScales);
}

/**
 * Prepare the points of an n x d row-major `x` for the fill. `tiles`: 'auto' takes the exact int16
 * tiles whenever `integerBound` allows (twice the float32 tiles' multiply-adds per instruction),
 * 'int16' insists (a PiktError when the coordinates do not allow it), 'float32' never.
 */
export function fillPoints(x: PointArray, n: number, d: number, rowScales: ArrayLike<number> | 'unit' | undefined, tiles: FillTiles = 'auto'): FillPoints {
  if (tiles !== 'auto' && tiles !== 'float32' && tiles !== 'int16') throw new InvalidOptionError('tiles', tiles, "'auto', 'float32' or 'int16'");
  const xs = x as ArrayLike<number>;
  const rows = rowNorms(xs, d); // |c_i|: exact sums of squares on the integer path (integers below 2^53)
  const s = resolveScales(rows, n, rowScales);
  const bound = tiles === 'float32' ? -1 : integerBound(xs, d);
  if (tiles === 'int16' && bound < 0) {
    throw new PiktError('PIKT_NTK_NOT_INTEGER_POINTS', `tiles 'int16' needs integer coordinates with |c| <= ${INT16_MAX} and d max|c|^2 < 2^31 (d = ${d}), and these points have others.`,
      "Pass the raw integer values (e.g. 8-bit pixels) with rowScales for their scale, or use tiles 'auto' / 'float32'.");
  }
  const ints = bound >= 0;
  const norms = s ? rows.map((r, i) => Math.abs(s[i]) * r) : rows;
  const unit = ints ? 2 : 4; // bytes a coordinate
  const per = 16 / unit; // coordinates per 16-byte chunk
  const groupBytes = 4 * Math.ceil(d / per) * per * unit; // 4 rows, d padded to whole chunks
  const panelBytes = Math.ceil(n / 4) * groupBytes;
  const pack = (buffer: ArrayBufferLike, at: number): void => {
    const view = ints ? new Int16Array(buffer, at, panelBytes / 2) : new Float32Array(buffer, at, panelBytes / 4);
    for (let i = 0; i < n; i++) {
      const base = ((i >> 2) * groupBytes + 16 * (i & 3)) / unit;
      const si = !ints && s ? s[i] : 1;
      for (let j = 0; j < d; j++) view[base + 4 * per * Math.floor(j / per) + (j % per)] = xs[i * d + j] * si;
    }
  };
  return { scales: ints ? (s ?? new Float64Array(n).fill(1)) : null, norms, groupBytes, panelBytes, pack, lists: ints ? chunkLists(xs, n, d) : null };
}
