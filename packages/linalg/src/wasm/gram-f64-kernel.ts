import { Code, type FuncDef } from './assembler.js';

/**
 * Float64 inner products of two row sets, G_ij = a_i . b_j, in f64x2 SIMD with a 2 x 2 register
 * tile (4 loads per 4 multiply-adds, against 2 per 1 for a lone dot), on the 2-row panel layout of
 * popcount-kernels.ts: chunk k (2 doubles) of row r of group g at g*2P + 32k + 16r, P a multiple of 16.
 *
 *   gramTileF64(pA, pB, groups, P, pOut, outPitch): for the row pair at pA and `groups` 2-row
 *   groups from pB, out0[2t + c] = a_0 . b_{2t+c} at pOut + 16t + 8c, out1 likewise at pOut + outPitch.
 *
 * Each sum is (sum over even k) + (sum over odd k) in float64, the same for every position of the
 * pair, so a rectangular block and the symmetric Gram agree to the bit.
 */
export function gramTileF64(): FuncDef {
  const pA = 0, pB = 1, groups = 2, P = 3, pOut = 4, outPitch = 5;
  const pa = 6, pb = 7, end = 8;
  const a0 = 9, a1 = 10, b0 = 11, b1 = 12;
  const acc = [13, 14, 15, 16]; // [2 r + c]
  const c = new Code();
  c.block().loop().get(groups).eqz().brIf(1);
  for (const x of acc) c.f64Const(0).f64x2Splat().set(x);
  c.get(pA).set(pa).get(pB).set(pb);
  c.get(pA).get(P).i32(1).shl().add().set(end);
  c.block().loop().get(pa).get(end).geU().brIf(1);
  c.get(pa).v128Load(0).set(a0).get(pa).v128Load(16).set(a1);
  c.get(pb).v128Load(0).set(b0).get(pb).v128Load(16).set(b1);
  for (const [r, a] of [[0, a0], [1, a1]] as const) {
    for (const [col, b] of [[0, b0], [1, b1]] as const) {
      const k = acc[2 * r + col];
      c.get(k).get(a).get(b).f64x2Mul().f64x2Add().set(k);
    }
  }
  c.get(pa).i32(32).add().set(pa).get(pb).i32(32).add().set(pb);
  c.br(0).end().end();
  // [lane0 + lane1 of acc(r, 0), lane0 + lane1 of acc(r, 1)] for each row, stored as one v128.
  const lo = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
  const hi = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];
  for (const r of [0, 1]) {
    c.get(pOut);
    if (r === 1) c.get(outPitch).add();
    c.get(acc[2 * r]).get(acc[2 * r + 1]).shuffle(lo).get(acc[2 * r]).get(acc[2 * r + 1]).shuffle(hi).f64x2Add().v128Store(0);
  }
  c.get(pOut).i32(16).add().set(pOut);
  c.get(pB).get(P).i32(1).shl().add().set(pB);
  c.get(groups).i32(1).sub().set(groups);
  c.br(0).end().end();
  return {
    name: 'gramTileF64',
    params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
    results: [],
    locals: ['i32', 'i32', 'i32', 'v128', 'v128', 'v128', 'v128', 'v128', 'v128', 'v128', 'v128'],
    body: c,
  };
}

/** Plain-JS version of the same contract and the same summation order (even k, odd k, then their sum). */
export function gramTileF64Js(buffer: ArrayBuffer): (pA: number, pB: number, groups: number, P: number, pOut: number, outPitch: number) => void {
  const F = new Float64Array(buffer);
  return (pA, pB, groups, P, pOut, outPitch) => {
    const len = (2 * P) >>> 3;
    for (let t = 0; t < groups; t++) {
      const a = pA >>> 3, b = (pB + t * 2 * P) >>> 3;
      const s = [0, 0, 0, 0, 0, 0, 0, 0]; // [2 (2 r + c) + lane]
      for (let k = 0; k < len; k += 4) {
        for (let lane = 0; lane < 2; lane++) {
          const x0 = F[a + k + lane], x1 = F[a + k + 2 + lane], y0 = F[b + k + lane], y1 = F[b + k + 2 + lane];
          s[lane] += x0 * y0; s[2 + lane] += x0 * y1; s[4 + lane] += x1 * y0; s[6 + lane] += x1 * y1;
        }
      }
      const o = (pOut >>> 3) + 2 * t, o1 = o + (outPitch >>> 3);
      F[o] = s[0] + s[1]; F[o + 1] = s[2] + s[3]; F[o1] = s[4] + s[5]; F[o1 + 1] = s[6] + s[7];
    }
  };
}
