import { Code, type FuncDef } from './assembler.js';

/**
 * The arc-cosine kernels of degree 0 and 1 (Cho & Saul 2009) applied in place to a float32 row of
 * inner products g_j = x_i . x_j: the two-layer ReLU NTK's entries (SCIENCE.md section 3)
 *
 *     Hinf_ij = g (pi - theta) / (2 pi),   theta = arccos(g / (|x_i| |x_j|)),
 *     plus k2 (|x_i| |x_j| sin theta + (pi - theta) g) / (2 pi) when the second layer trains too,
 *
 *   arcCosRowF32(p, count, ni, pNorms, k2): count (even) float32 at p, |x_j| as float64 at pNorms,
 *   ni = |x_i|, k2 = kappa^2 or 0 (first layer only). Two entries per step in f64x2 lanes.
 *
 * arccos(a) for a in [0, 1] is sqrt(1 - a) (c0 + c1 a + ... + c7 a^7) (Abramowitz & Stegun 1964,
 * 4.4.46: |error| <= 2e-8; measured 2.2e-8 over [-1, 1]), arccos(-a) = pi - arccos(a). So an entry
 * is off by at most 2.2e-8 |g| / (2 pi) < 3.5e-9 |x_i| |x_j| (4e-9 (1 + k2) with the second
 * layer): below the float32 rounding of the stored entry, 2^-24 |Hinf_ij|, wherever g >= 0. A
 * zero norm gives theta = pi / 2 (g is 0 there). The diagonal (theta = 0, g = |x_i|^2 exactly) is
 * the caller's. The same arithmetic in plain JS is `arcCosRowJs` (the fallback kernels).
 */
export const ACOS_COEFFS = [1.5707963050, -0.2145988016, 0.0889789874, -0.0501743046, 0.0308918810, -0.0170881256, 0.0066700901, -0.0012624911] as const;

/** arccos(|c|) by the polynomial, in the kernel's operation order. */
function arcCosAbs(a: number): number {
  let p = ACOS_COEFFS[7];
  for (let t = 6; t >= 0; t--) p = p * a + ACOS_COEFFS[t];
  return Math.sqrt(1 - a) * p;
}

/** pi - arccos(c) for c in [-1, 1], as the kernel computes it. */
export function piMinusArcCos(c: number): number {
  const r = arcCosAbs(Math.abs(c));
  return c < 0 ? r : Math.PI - r;
}

/** The kernel's arithmetic in plain JS on views of the same memory (identical numbers). */
export function arcCosRowJs(S: Float32Array, F: Float64Array, p: number, count: number, ni: number, pNorms: number, k2: number): void {
  const s0 = p / 4, n0 = pNorms / 8;
  const inv = 1 / (2 * Math.PI);
  for (let j = 0; j < count; j++) {
    const g = S[s0 + j];
    const nn = ni * F[n0 + j];
    let c = g / Math.max(nn, 1e-300);
    c = Math.min(Math.max(c, -1), 1);
    const pt = piMinusArcCos(c);
    let v = g * pt * inv;
    if (k2 !== 0) v += k2 * ((nn * Math.sqrt(1 - c * c) + pt * g) * inv);
    S[s0 + j] = v;
  }
}

export function arcCosRowF32(): FuncDef {
  const p = 0, count = 1, ni = 2, pN = 3, k2 = 4;
  const end = 5, g = 6, nn = 7, c = 8, a = 9, poly = 10, r = 11, pt = 12, v = 13, vni = 14, vk2 = 15;
  const splat = (x: number) => new Code().f64Const(x).f64x2Splat();
  const code = new Code();
  code.get(ni).f64x2Splat().set(vni);
  code.get(k2).f64x2Splat().set(vk2);
  code.get(p).get(count).i32(2).shl().add().set(end);
  const loop = (second: boolean) => {
    code.block().loop();
    code.get(p).get(end).geU().brIf(1);
    code.get(p).v128Load64Zero().f64x2PromoteLow().set(g);
    code.get(vni).get(pN).v128Load().f64x2Mul().set(nn);
    // c = clamp(g / max(nn, tiny), -1, 1), a = |c|
    code.get(g).get(nn).raw(splat(1e-300)).f64x2Max().f64x2Div().raw(splat(-1)).f64x2Max().raw(splat(1)).f64x2Min().tee(c).f64x2Abs().set(a);
    code.raw(splat(ACOS_COEFFS[7])).set(poly);
    for (let t = 6; t >= 0; t--) code.get(poly).get(a).f64x2Mul().raw(splat(ACOS_COEFFS[t])).f64x2Add().set(poly);
    code.raw(splat(1)).get(a).f64x2Sub().f64x2Sqrt().get(poly).f64x2Mul().set(r);
    // pi - theta: r where c < 0 (theta = pi - r), else pi - r
    code.get(r).raw(splat(Math.PI)).get(r).f64x2Sub().get(c).raw(splat(0)).f64x2Lt().v128Bitselect().set(pt);
    code.get(g).get(pt).f64x2Mul().raw(splat(1 / (2 * Math.PI))).f64x2Mul().set(v);
    if (second) {
      code.get(v).get(vk2)
        .get(nn).raw(splat(1)).get(c).get(c).f64x2Mul().f64x2Sub().f64x2Sqrt().f64x2Mul()
        .get(pt).get(g).f64x2Mul().f64x2Add().raw(splat(1 / (2 * Math.PI))).f64x2Mul()
        .f64x2Mul().f64x2Add().set(v);
    }
    code.get(p).get(v).f32x4DemoteF64x2Zero().v128Store64Lane(0);
    code.get(p).i32(8).add().set(p);
    code.get(pN).i32(16).add().set(pN);
    code.br(0).end().end();
  };
  code.get(k2).f64Const(0).f64Ne().if();
  loop(true);
  code.else();
  loop(false);
  code.end();
  return { name: 'arcCosRowF32', params: ['i32', 'i32', 'f64', 'i32', 'f64'], results: [], locals: ['i32', ...Array.from({ length: 10 }, () => 'v128' as const)], body: code };
}
