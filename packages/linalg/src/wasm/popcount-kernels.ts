import { Code, type FuncDef } from './assembler.js';

/**
 * Co-activation counts of bit-packed 0/1 patterns, C_ij = popcount(s_i AND t_j) = sum_r s_ir t_jr,
 * in WebAssembly: `popcountTileSimd` (i8x16.popcnt) and `popcountTileScalar` (i64.popcnt, for
 * runtimes without SIMD). Both have one contract.
 *
 * Layout ("2-row panels"): rows are grouped by 2; group g holds its 2 rows interleaved in 16-byte
 * chunks, so chunk k of row r is at byte g*2P + 32k + 16r (P = the row pitch in bytes, a multiple
 * of 16; padding bits are zero, so they never count). Every load is a constant offset from one
 * moving pointer per operand.
 *
 *   popcountTile(pA, pB, groups, P, pOut, outPitch): for the row pair at pA and `groups`
 *   consecutive 2-row groups from pB, writes out0[2t + c] = popcount(a_0 & b_{2t+c}) at
 *   pOut + 8t + 4c and out1[2t + c] = popcount(a_1 & b_{2t+c}) at pOut + outPitch + 8t + 4c (i32).
 *
 * SIMD: a 2 x 2 register tile; i8x16.popcnt counts are summed per byte lane (at most 8 per chunk, so
 * 31 chunks fit in a byte: 248 <= 255), then widened pairwise (i8 -> i16 -> i32) once per 31 chunks.
 * The sums are exact integers (no rounding anywhere).
 */

// Opcodes the shared assembler does not have (core spec 5.4 and the SIMD proposal's 0xFD table),
// appended raw so that assembler.ts stays untouched.
const SIMD = 0xfd;
function op(c: Code, ...b: number[]): Code { c.bytes.push(...b); return c; }
const v128And = (c: Code) => op(c, SIMD, 0x4e);
const i8x16Popcnt = (c: Code) => op(c, SIMD, 0x62);
const i8x16Add = (c: Code) => op(c, SIMD, 0x6e);
const i16x8ExtaddPairwiseU = (c: Code) => op(c, SIMD, 0x7d);
const i32x4ExtaddPairwiseU = (c: Code) => op(c, SIMD, 0x7f);
const i32x4Add = (c: Code) => op(c, SIMD, 0xae, 0x01);
const i64x2ExtractLane = (c: Code, lane: 0 | 1) => op(c, SIMD, 0x1d, lane);
const i64Store = (c: Code, offset: number) => op(c, 0x37, 3, offset); // offset < 128: one LEB byte
const i64Load = (c: Code, offset: number) => op(c, 0x29, 3, offset);
const i64And = (c: Code) => op(c, 0x83);
const i64Popcnt = (c: Code) => op(c, 0x7b);
const i32WrapI64 = (c: Code) => op(c, 0xa7);
const i32Store = (c: Code, offset: number) => op(c, 0x36, 2, offset);
const zeroV128 = (c: Code) => c.f64Const(0).f64x2Splat(); // all-zero bits: 0 in every integer lane too

/** Chunks summed per byte lane before widening (8 * 31 = 248 fits in a u8). */
export const POPCOUNT_BYTE_CHUNKS = 31;

export function popcountTileSimd(): FuncDef {
  const pA = 0, pB = 1, groups = 2, P = 3, pOut = 4, outPitch = 5;
  const pa = 6, pb = 7, end = 8, cend = 9;
  const a0 = 10, a1 = 11, b0 = 12, b1 = 13;
  const acc8 = [14, 15, 16, 17]; // [2 r + c]
  const acc32 = [18, 19, 20, 21];
  const t0 = 22, t1 = 23;
  const c = new Code();
  c.block().loop().get(groups).eqz().brIf(1);
  for (const x of acc32) zeroV128(c).set(x);
  c.get(pA).set(pa).get(pB).set(pb);
  c.get(pA).get(P).i32(1).shl().add().set(end); // 2P bytes per panel
  // Chunks of at most 31 x 32 bytes of the panel (31 v128 per row).
  c.block().loop().get(pa).get(end).geU().brIf(1);
  for (const x of acc8) zeroV128(c).set(x);
  c.get(pa).i32(32 * POPCOUNT_BYTE_CHUNKS).add().set(cend);
  c.get(cend).get(end).geU().if().get(end).set(cend).end();
  c.block().loop().get(pa).get(cend).geU().brIf(1);
  c.get(pa).v128Load(0).set(a0).get(pa).v128Load(16).set(a1);
  c.get(pb).v128Load(0).set(b0).get(pb).v128Load(16).set(b1);
  for (const [r, a] of [[0, a0], [1, a1]] as const) {
    for (const [col, b] of [[0, b0], [1, b1]] as const) {
      const k = acc8[2 * r + col];
      c.get(k).get(a).get(b);
      v128And(c);
      i8x16Popcnt(c);
      i8x16Add(c).set(k);
    }
  }
  c.get(pa).i32(32).add().set(pa).get(pb).i32(32).add().set(pb);
  c.br(0).end().end();
  for (let q = 0; q < 4; q++) {
    c.get(acc32[q]).get(acc8[q]);
    i16x8ExtaddPairwiseU(c);
    i32x4ExtaddPairwiseU(c);
    i32x4Add(c).set(acc32[q]);
  }
  c.br(0).end().end();
  // Lane sums: [x0+x2, x1+x3, y0+y2, y1+y3] per row, then pairwise again -> [s00, s01, s10, s11].
  c.get(acc32[0]).get(acc32[1]).shuffle32([0, 1, 4, 5]).get(acc32[0]).get(acc32[1]).shuffle32([2, 3, 6, 7]);
  i32x4Add(c).set(t0);
  c.get(acc32[2]).get(acc32[3]).shuffle32([0, 1, 4, 5]).get(acc32[2]).get(acc32[3]).shuffle32([2, 3, 6, 7]);
  i32x4Add(c).set(t1);
  c.get(t0).get(t1).shuffle32([0, 2, 4, 6]).get(t0).get(t1).shuffle32([1, 3, 5, 7]);
  i32x4Add(c).set(t0);
  c.get(pOut).get(t0);
  i64x2ExtractLane(c, 0);
  i64Store(c, 0);
  c.get(pOut).get(outPitch).add().get(t0);
  i64x2ExtractLane(c, 1);
  i64Store(c, 0);
  c.get(pOut).i32(8).add().set(pOut);
  c.get(pB).get(P).i32(1).shl().add().set(pB);
  c.get(groups).i32(1).sub().set(groups);
  c.br(0).end().end();
  return {
    name: 'popcountTileSimd',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    results: [],
    locals: ['i32', 'i32', 'i32', 'i32', 'v128', 'v128', 'v128', 'v128', ...acc8.map(() => 'v128' as const), ...acc32.map(() => 'v128' as const), 'v128', 'v128'],
    body: c,
  };
}

/** The same contract with scalar i64.popcnt (no SIMD needed): 8 pair counts per 32-byte step. */
export function popcountTileScalar(): FuncDef {
  const pA = 0, pB = 1, groups = 2, P = 3, pOut = 4, outPitch = 5;
  const pa = 6, pb = 7, end = 8;
  const acc = [9, 10, 11, 12]; // [2 r + c], i32
  const c = new Code();
  c.block().loop().get(groups).eqz().brIf(1);
  for (const x of acc) c.i32(0).set(x);
  c.get(pA).set(pa).get(pB).set(pb);
  c.get(pA).get(P).i32(1).shl().add().set(end);
  c.block().loop().get(pa).get(end).geU().brIf(1);
  for (const h of [0, 8]) {
    for (let r = 0; r < 2; r++) {
      for (let col = 0; col < 2; col++) {
        const k = acc[2 * r + col];
        c.get(k).get(pa);
        i64Load(c, 16 * r + h);
        c.get(pb);
        i64Load(c, 16 * col + h);
        i64And(c);
        i64Popcnt(c);
        i32WrapI64(c).add().set(k);
      }
    }
  }
  c.get(pa).i32(32).add().set(pa).get(pb).i32(32).add().set(pb);
  c.br(0).end().end();
  c.get(pOut).get(acc[0]);
  i32Store(c, 0);
  c.get(pOut).get(acc[1]);
  i32Store(c, 4);
  c.get(pOut).get(outPitch).add().get(acc[2]);
  i32Store(c, 0);
  c.get(pOut).get(outPitch).add().get(acc[3]);
  i32Store(c, 4);
  c.get(pOut).i32(8).add().set(pOut);
  c.get(pB).get(P).i32(1).shl().add().set(pB);
  c.get(groups).i32(1).sub().set(groups);
  c.br(0).end().end();
  return {
    name: 'popcountTileScalar',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    results: [],
    locals: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    body: c,
  };
}

/** Plain-JS reference over the same contract (u32 words; SWAR popcount). */
export function popcountTileJs(buffer: ArrayBuffer): (pA: number, pB: number, groups: number, P: number, pOut: number, outPitch: number) => void {
  const U = new Uint32Array(buffer);
  const I = new Int32Array(buffer);
  return (pA, pB, groups, P, pOut, outPitch) => {
    for (let t = 0; t < groups; t++) {
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      const a = pA >>> 2;
      const b = (pB + t * 2 * P) >>> 2;
      for (let k = 0; k < (2 * P) >>> 2; k += 8) {
        for (let w = 0; w < 4; w++) {
          const x0 = U[a + k + w], x1 = U[a + k + 4 + w], y0 = U[b + k + w], y1 = U[b + k + 4 + w];
          s00 += popcount32(x0 & y0);
          s01 += popcount32(x0 & y1);
          s10 += popcount32(x1 & y0);
          s11 += popcount32(x1 & y1);
        }
      }
      const o = (pOut >>> 2) + 2 * t;
      I[o] = s00; I[o + 1] = s01;
      I[o + (outPitch >>> 2)] = s10; I[o + (outPitch >>> 2) + 1] = s11;
    }
  };
}

/** Bits set in a 32-bit word (SWAR). */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
