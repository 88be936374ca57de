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
 *   arcCosRowI32(p, count, ni, pNorms, k2, si, pScales): the same for points x_i = s_i c_i with
 *   integer c_i, the int32 c_i . c_j at p (gramTilesI16): g = (c_i . c_j) s_i s_j in float64, with
 *   s_j as float64 at pScales; the results are float32 in place.
 *
 * arccos(a) for a in [0, 1] is sqrt(1 - a) p(2a - 1), p of degree 16 (the Chebyshev interpolant of
 * arccos(a) / sqrt(1 - a), analytic on [0, 1]; scripts/fit-arccos.py computes the coefficients and
 * its error, 1.8e-14), and arccos(-a) = pi - arccos(a). So theta is within 2e-14 of arccos, close
 * to float64 rounding (the entries are stored as float32 anyway): no bias the analysis could see.
 * A zero norm gives theta = pi / 2 (g is 0 there). The diagonal (theta = 0, g = |x_i|^2 exactly)
 * is the caller's. The same arithmetic in plain JS is `arcCosRowJs` (the fallback kernels).
 */
export const ACOS_COEFFS = [1.4809609793861203, -0.07601609123465068, 0.011029313318262183, -0.0021491358596995368, 0.000482054094214155, -0.00011741249468729684, 3.01872247296785e-05, -8.063598388796508e-06, 2.2157908174378505e-06, -6.223390489955257e-07, 1.784833816711208e-07, -5.196801728618619e-08, 1.4523459927223493e-08, -4.110974178880702e-09, 1.7064938330247971e-09, -6.054322528649138e-10, 5.650043373757577e-11] as const;
const DEG = ACOS_COEFFS.length - 1;
/** Powers t^(2^j), j < POWERS, that Estrin's scheme multiplies by (t, t^2, t^4, t^8, t^16 for degree 16). */
const POWERS = Math.floor(Math.log2(DEG)) + 1;
const powScratch = new Float64Array(POWERS);

/** arccos(a), a in [0, 1], by the polynomial, in the kernel's operation order. */
function arcCosAbs(a: number): number {
  powScratch[0] = 2 * a - 1;
  for (let j = 1; j < POWERS; j++) powScratch[j] = powScratch[j - 1] * powScratch[j - 1];
  return Math.sqrt(1 - a) * estrin(0, DEG + 1, powScratch);
}

/**
 * Estrin's scheme (Knuth, TAOCP vol. 2, 4.6.4) for the coefficients lo..lo+len-1 of ACOS_COEFFS,
 * pow[j] = t^(2^j): p = p_low + p_high t^h, h the largest power of two below the length,
 * recursively. Horner's products and sums, but a dependency chain of about log2(17) steps instead
 * of 16, so the kernel is not bound by the multiply latency (2x faster than Horner there).
 */
function estrin(lo: number, len: number, pow: Float64Array): number {
  if (len === 1) return ACOS_COEFFS[lo];
  const half = highestPowerOfTwoBelow(len);
  return estrin(lo, half, pow) + estrin(lo + half, len - half, pow) * pow[Math.log2(half)];
}

/** The largest power of two below len (len >= 2). */
function highestPowerOfTwoBelow(len: number): number {
  let h = 1;
  while (2 * h < len) h *= 2;
  return h;
}

/** pi - arccos(c) for c in [-1, 1], as the kernel computes it. */
export function piMinusArcCos(c: number): number {
  const r = arcCosAbs(Math.abs(c));
  return c < 0 ? r : Math.PI - r;
}

/** The kernel's arithmetic in plain JS on views of the same memory (identical numbers). */
export function arcCosRowJs(S: Float32Array, F: Float64Array, p: number, count: number, ni: number, pNorms: number, k2: number,
  ints?: { I: Int32Array; si: number; pScales: number }): void {
  const s0 = p / 4, n0 = pNorms / 8, c0 = (ints?.pScales ?? 0) / 8;
  const inv = 1 / (2 * Math.PI);
  for (let j = 0; j < count; j++) {
    const g = ints ? ints.I[s0 + j] * ints.si * F[c0 + j] : S[s0 + j];
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
  return arcCosRow(false);
}

export function arcCosRowI32(): FuncDef {
  return arcCosRow(true);
}

function arcCosRow(ints: boolean): FuncDef {
  const p = 0, count = 1, ni = 2, pN = 3, k2 = 4, si = 5, pS = 6; // si, pS: arcCosRowI32 only
  const l0 = ints ? 7 : 5;
  const end = l0, g = l0 + 1, nn = l0 + 2, c = l0 + 3, a = l0 + 4, r = l0 + 5, pt = l0 + 6, v = l0 + 7, vni = l0 + 8, vk2 = l0 + 9, vsi = l0 + 10;
  const pow = Array.from({ length: POWERS }, (_, j) => l0 + 11 + j); // locals holding t^(2^j)
  const splat = (x: number) => new Code().f64Const(x).f64x2Splat();
  const code = new Code();
  code.get(ni).f64x2Splat().set(vni);
  if (ints) code.get(si).f64x2Splat().set(vsi);
  code.get(k2).f64x2Splat().set(vk2);
  code.get(p).get(count).i32(2).shl().add().set(end);
  const loop = (second: boolean) => {
    code.block().loop();
    code.get(p).get(end).geU().brIf(1);
    if (ints) code.get(p).v128Load64Zero().f64x2ConvertLowI32x4S().get(vsi).f64x2Mul().get(pS).v128Load().f64x2Mul().set(g);
    else code.get(p).v128Load64Zero().f64x2PromoteLow().set(g);
    code.get(vni).get(pN).v128Load().f64x2Mul().set(nn);
    // c = clamp(g / max(nn, tiny), -1, 1), a = |c|
    code.get(g).get(nn).raw(splat(1e-300)).f64x2Max().f64x2Div().raw(splat(-1)).f64x2Max().raw(splat(1)).f64x2Min().tee(c).f64x2Abs().set(a);
    code.raw(splat(2)).get(a).f64x2Mul().raw(splat(1)).f64x2Sub().set(pow[0]);
    for (let j = 1; j < pow.length; j++) code.get(pow[j - 1]).get(pow[j - 1]).f64x2Mul().set(pow[j]);
    code.raw(splat(1)).get(a).f64x2Sub().f64x2Sqrt();
    const emitEstrin = (lo: number, len: number): void => { // estrin() above, as f64x2 code
      if (len === 1) {
        code.raw(splat(ACOS_COEFFS[lo]));
        return;
      }
      const half = highestPowerOfTwoBelow(len);
      emitEstrin(lo, half);
      emitEstrin(lo + half, len - half);
      code.get(pow[Math.log2(half)]).f64x2Mul().f64x2Add();
    };
    emitEstrin(0, DEG + 1);
    code.f64x2Mul().set(r);
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
    if (ints) code.get(pS).i32(16).add().set(pS);
    code.br(0).end().end();
  };
  code.get(k2).f64Const(0).f64Ne().if();
  loop(true);
  code.else();
  loop(false);
  code.end();
  return {
    name: ints ? 'arcCosRowI32' : 'arcCosRowF32',
    params: ['i32', 'i32', 'f64', 'i32', 'f64', ...(ints ? ['f64', 'i32'] as const : [])],
    results: [],
    locals: ['i32', ...Array.from({ length: 10 + pow.length }, () => 'v128' as const)],
    body: code,
  };
}
