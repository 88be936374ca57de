import { InvalidOptionError, ShapeMismatchError } from '@pikt/core';
import type { PackedPatterns } from './popcount-gram.js';

/**
 * Pack a row-major [rows, cols] block of pre-activations into bits, s = 1{z >= 0} (the activation
 * pattern of the empirical NTK, SCIENCE.md section 3; -0 counts as >= 0 and NaN as not, as in
 * tf.greaterEqual), at rows rowOffset.. and bits bitOffset.. of `target`. Bits are ORed in: a
 * block sets its own bits only, so neuron blocks can be packed one after the other.
 */
export function packSigns(target: PackedPatterns, z: ArrayLike<number>, rows: number, cols: number, rowOffset = 0, bitOffset = 0): void {
  check(target, z, rows, cols, rowOffset, bitOffset);
  const words = target.words;
  const pw = target.pitchWords;
  const bits = z instanceof Float32Array ? new Int32Array(z.buffer, z.byteOffset, z.length) : null;
  // One specialised loop per predicate (a shared loop taking a callback ran 3-5x slower: megamorphic call).
  for (let i = 0; i < rows; i++) {
    const row = rowOffset + i;
    let k = 0;
    while (k < cols) {
      const r = bitOffset + k;
      const shift = r & 31;
      const take = Math.min(32 - shift, cols - k);
      const src = i * cols + k;
      let acc = 0;
      if (bits) {
        // Branch-free on the sign bit (random signs mispredict a compare half the time); the rare
        // +-0 and NaN (|v| - 1 wraps or exceeds the infinity pattern) take the float compare.
        for (let b = 0; b < take; b++) {
          const v = bits[src + b];
          const bit = ((v & 0x7fffffff) - 1) >>> 0 >= 0x7f800000 ? (z[src + b] >= 0 ? 1 : 0) : ~v >>> 31;
          acc |= bit << b;
        }
      } else {
        for (let b = 0; b < take; b++) acc |= (z[src + b] >= 0 ? 1 : 0) << b;
      }
      words[wordIndex(pw, row, r >>> 5)] |= acc << shift;
      k += take;
    }
  }
}

/** `packSigns` for a 0/1 (or bool) mask: bit = (mask != 0), e.g. the forward pass's 1{X W^T > 0}. */
export function packMask(target: PackedPatterns, mask: ArrayLike<number>, rows: number, cols: number, rowOffset = 0, bitOffset = 0): void {
  check(target, mask, rows, cols, rowOffset, bitOffset);
  const ints = mask instanceof Uint8Array ? mask : null;
  const words = target.words;
  const pw = target.pitchWords;
  for (let i = 0; i < rows; i++) {
    const row = rowOffset + i;
    let k = 0;
    while (k < cols) {
      const r = bitOffset + k;
      const shift = r & 31;
      const take = Math.min(32 - shift, cols - k);
      const src = i * cols + k;
      let acc = 0;
      if (ints) for (let b = 0; b < take; b++) acc |= (-ints[src + b] >>> 31) << b; // 0 -> 0, 1..255 -> 1, branch-free
      else for (let b = 0; b < take; b++) acc |= (mask[src + b] !== 0 ? 1 : 0) << b;
      words[wordIndex(pw, row, r >>> 5)] |= acc << shift;
      k += take;
    }
  }
}

/** Bit `bit` of row `row` (0 or 1), for tests and spot checks. */
export function patternBit(p: PackedPatterns, row: number, bit: number): number {
  return (p.words[wordIndex(p.pitchWords, row, bit >>> 5)] >>> (bit & 31)) & 1;
}

/** Clear every bit (to pack new patterns into the same memory). */
export function clearPatterns(p: PackedPatterns): void {
  p.words.fill(0);
}

/** Word w of row i in the 2-row panel layout: chunk k = w >> 2 of row i at panel base + 8k + 4(i & 1). */
function wordIndex(pw: number, i: number, w: number): number {
  return (i >> 1) * 2 * pw + (w >> 2) * 8 + (i & 1) * 4 + (w & 3);
}

function check(t: PackedPatterns, z: ArrayLike<number>, rows: number, cols: number, rowOffset: number, bitOffset: number): void {
  if (z.length !== rows * cols) throw new ShapeMismatchError('packed pattern block (rows x cols values)', [rows, cols], [z.length]);
  if (!(rowOffset >= 0 && rowOffset + rows <= t.rows && Number.isInteger(rowOffset))) {
    throw new InvalidOptionError('rowOffset', rowOffset, `rows ${rowOffset}..${rowOffset + rows - 1} within the ${t.rows} pattern rows`);
  }
  if (!(bitOffset >= 0 && bitOffset + cols <= t.bits && Number.isInteger(bitOffset))) {
    throw new InvalidOptionError('bitOffset', bitOffset, `bits ${bitOffset}..${bitOffset + cols - 1} within the ${t.bits} bits of a row`);
  }
}

/**
 * `packSigns` / `packMask` for neuron-major data: `v` is [neurons, rows] (row r of `v` is neuron
 * bitOffset + r over all points), as a blocked forward pass holds W_b X^T or its step mask. `mask`:
 * bit = (v != 0) (a 0/1 float mask included); else bit = (v >= 0). Rows rowOffset.. of `target`.
 */
export function packNeuronMajor(target: PackedPatterns, v: ArrayLike<number>, neurons: number, rows: number, values: 'mask' | 'signs', rowOffset = 0, bitOffset = 0): void {
  check(target, v, rows, neurons, rowOffset, bitOffset);
  const words = target.words;
  const pw = target.pitchWords;
  const bits = v instanceof Float32Array ? new Int32Array(v.buffer, v.byteOffset, v.length) : null;
  for (let r = 0; r < neurons; r++) {
    const bit = bitOffset + r;
    const w = bit >>> 5;
    const shift = bit & 31;
    const src = r * rows;
    for (let i = 0; i < rows; i++) {
      let b: number;
      if (bits && values === 'mask') b = ((bits[src + i] & 0x7fffffff) + 0x7fffffff) >>> 31; // nonzero, branch-free
      else if (values === 'mask') b = v[src + i] !== 0 ? 1 : 0;
      else b = v[src + i] >= 0 ? 1 : 0;
      words[wordIndex(pw, rowOffset + i, w)] |= b << shift;
    }
  }
}
