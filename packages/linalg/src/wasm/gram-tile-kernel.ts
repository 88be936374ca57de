import { Code, type FuncDef } from './assembler.js';

/**
 * Inner products of point sets in float32 SIMD, for building large Gram matrices.
 *
 * Layout ("4-row panels"): rows are grouped by 4; group g holds its 4 rows interleaved in chunks of
 * 4 floats, so chunk k of row r is at byte g*G + 64k + 16r (G = 16 d4 bytes, d4 = d rounded up to a
 * multiple of 4, zero-padded). Every load is then a constant offset from one moving pointer.
 *
 *   gramTilesF32(pA, pB, groups, G, pOut0, pOut1): for the row pair at pA (a group base + 32h) and
 *   `groups` consecutive 4-row groups from pB, writes out0[4t + c] = a_0 . b_{4t+c} and
 *   out1[4t + c] = a_1 . b_{4t+c} (float32).
 *
 * 2 x 4 register tile: 8 f32x4 accumulators, per 64-byte chunk 6 loads and 8 multiply-adds; the
 * four lane sums per row are finished with shuffles and stored as one v128. Accumulation is float32
 * over d/4 terms per lane (relative error ~ sqrt(d/4) 2^-24), enough for a float32 Gram.
 */
export function gramTilesF32(): FuncDef {
  return gramTiles('f32');
}

/**
 * The integer version, for points with small integer coordinates (8-bit pixels): the same 4-row
 * panels in chunks of 8 int16 (chunk k of row r of group g at g*G + 64k + 16r, G = 8 d8 bytes, d8 =
 * d rounded up to a multiple of 8), int32 outputs, exact while d max|x|^2 < 2^31.
 *   gramTilesI16(pA, pB, groups, G, pOut0, pOut1, pList, count)
 * visits only the `count` chunks whose byte offsets 64k are listed (int32) at pList: the chunks
 * where the row pair at pA is not all zero (the others add exactly 0). MNIST's row pairs are zero
 * in 49% of their chunks. Per listed chunk the same 6 loads, but 8 i32x4.dot_i16x8_s (8
 * multiply-adds each, one pmaddwd on x86) and 8 i32x4.add: twice the float kernel's multiply-adds
 * per instruction, and exact.
 */
export function gramTilesI16(): FuncDef {
  return gramTiles('i16');
}

/**
 * The float64 version for exact inner products (Hinf, twoLayerNtk): 4-row panels in chunks of 2
 * doubles (chunk k of row r of group g at g*G + 64k + 16r, G = 32 d2 bytes, d2 = d rounded up to
 * even), f64x2 accumulators, float64 outputs (out0 / out1 advance 32 bytes per group).
 *   gramTilesF64(pA, pB, groups, G, pOut0, pOut1)
 * Each output is sum over k of (a_2k b_2k) + sum over k of (a_2k+1 b_2k+1), a fixed order, so the
 * numbers do not depend on how rows are split over threads.
 */
export function gramTilesF64(): FuncDef {
  return gramTiles('f64');
}

function gramTiles(kind: 'f32' | 'f64' | 'i16'): FuncDef {
  const f64 = kind === 'f64';
  const list = kind === 'i16';
  const pA = 0, pB = 1, groups = 2, G = 3, pOut0 = 4, pOut1 = 5, pList = 6, count = 7; // pList, count: i16 only
  const l0 = list ? 8 : 6;
  const pa = l0, end = l0 + 1, pb = l0 + 2, off = l0 + 3, a0 = l0 + 4, a1 = l0 + 5, b = l0 + 6;
  const acc = Array.from({ length: 8 }, (_, i) => l0 + 7 + i); // acc[4 r + c]
  const t0 = l0 + 15, t1 = l0 + 16;
  const c = new Code();
  c.block().loop().get(groups).eqz().brIf(1);
  for (const x of acc) c.f64Const(0).f64x2Splat().set(x); // all-zero bits: +0.0 in every f32 lane too
  if (list) {
    // pa walks the list; each entry is a chunk's byte offset from both the row pair and the group.
    c.get(pList).set(pa);
    c.get(pList).get(count).i32(2).shl().add().set(end);
    c.block().loop().get(pa).get(end).geU().brIf(1);
    c.get(pa).i32Load().set(off);
    c.get(pA).get(off).add().tee(pb).v128Load(0).set(a0).get(pb).v128Load(16).set(a1);
    c.get(pB).get(off).add().set(pb);
  } else {
    c.get(pA).set(pa);
    c.get(pB).get(G).add().set(end);
    c.block().loop().get(pB).get(end).geU().brIf(1);
    c.get(pa).v128Load(0).set(a0).get(pa).v128Load(16).set(a1);
  }
  for (let col = 0; col < 4; col++) {
    c.get(list ? pb : pB).v128Load(16 * col).set(b);
    if (f64) {
      c.get(acc[col]).get(a0).get(b).f64x2Mul().f64x2Add().set(acc[col]);
      c.get(acc[4 + col]).get(a1).get(b).f64x2Mul().f64x2Add().set(acc[4 + col]);
      continue;
    }
    if (kind === 'i16') {
      c.get(acc[col]).get(a0).get(b).i32x4DotI16x8S().i32x4Add().set(acc[col]);
      c.get(acc[4 + col]).get(a1).get(b).i32x4DotI16x8S().i32x4Add().set(acc[4 + col]);
      continue;
    }
    c.get(acc[col]).get(a0).get(b).f32x4Mul().f32x4Add().set(acc[col]);
    c.get(acc[4 + col]).get(a1).get(b).f32x4Mul().f32x4Add().set(acc[4 + col]);
  }
  if (list) c.get(pa).i32(4).add().set(pa);
  else c.get(pa).i32(64).add().set(pa).get(pB).i32(64).add().set(pB);
  c.br(0).end().end();
  if (list) c.get(pB).get(G).add().set(pB); // the float loops leave pB at the next group already
  for (const [r, out] of [[0, pOut0], [1, pOut1]] as const) {
    const [x0, x1, x2, x3] = acc.slice(4 * r, 4 * r + 4);
    if (f64) {
      // [x0_0 + x0_1, x1_0 + x1_1] and [x2_0 + x2_1, x3_0 + x3_1].
      c.get(out).get(x0).get(x1).shuffle32([0, 1, 4, 5]).get(x0).get(x1).shuffle32([2, 3, 6, 7]).f64x2Add().v128Store(0);
      c.get(out).get(x2).get(x3).shuffle32([0, 1, 4, 5]).get(x2).get(x3).shuffle32([2, 3, 6, 7]).f64x2Add().v128Store(16);
      c.get(out).i32(32).add().set(out);
      continue;
    }
    // [x0_0 + x0_2, x0_1 + x0_3, x1_0 + x1_2, x1_1 + x1_3], likewise for x2, x3; then pairwise again.
    const add = (cc: Code): Code => (kind === 'i16' ? cc.i32x4Add() : cc.f32x4Add());
    add(c.get(x0).get(x1).shuffle32([0, 1, 4, 5]).get(x0).get(x1).shuffle32([2, 3, 6, 7])).set(t0);
    add(c.get(x2).get(x3).shuffle32([0, 1, 4, 5]).get(x2).get(x3).shuffle32([2, 3, 6, 7])).set(t1);
    add(c.get(out).get(t0).get(t1).shuffle32([0, 2, 4, 6]).get(t0).get(t1).shuffle32([1, 3, 5, 7])).v128Store(0);
    c.get(out).i32(16).add().set(out);
  }
  c.get(groups).i32(1).sub().set(groups);
  c.br(0).end().end();
  return {
    name: { f32: 'gramTilesF32', f64: 'gramTilesF64', i16: 'gramTilesI16' }[kind],
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', ...(list ? ['i32', 'i32'] as const : [])],
    results: [],
    locals: ['i32', 'i32', 'i32', 'i32', 'v128', 'v128', 'v128', ...acc.map(() => 'v128' as const), 'v128', 'v128'],
    body: c,
  };
}
