import { Code, type FuncDef, type ValType } from './assembler.js';

/**
 * Float32 products of a stored Gram block with `b` vectors at once, in f32x4 lanes (twice the
 * lanes of the f64x2 kernels in kernels.ts, which are bound by their multiply and add count).
 *
 * Vector layout ("panels"): the b vectors are interleaved by 4-column chunks, element (c, v) at
 * index (c >> 2) 4b + 4v + (c & 3); the float32 x panel and the float64 y panel share that index.
 * Then the chunk of every vector is one constant-offset load from a single moving pointer.
 *
 *   panelSymvF32_b(pa, rows, cols, ld, pxJ, pyJ, pxI, pyI):  y_I += A x_J (float64 panel at pyI)
 *       and s_J += A^T x_I into a float32 panel scratch at pyJ (the caller adds it into float64
 *       with panelFlushF32 after a band of rows: an off-diagonal block of a symmetric matrix is
 *       stored once and read once for both products);
 *   panelGemvF32_b(...same...): only y_I += A x_J (diagonal blocks, stored full).
 *
 * `cols` must be a multiple of 4 (blocks have a row pitch `ld` that is, with zero padding), rows
 * start at a multiple of 4 of the panels. Two rows per step share every x and s load.
 *
 * Accuracy: x is rounded to float32 (relative 2^-24, like the stored entries), each product is
 * rounded once, row sums are float32 only over GROUP chunks (GROUP terms per lane) before they
 * are promoted and summed in float64, and s_J over at most one band of rows. So each entry of
 * A x has error <= gamma_m sum_j |a_ij x_j| with m = GROUP + 2 (row side) or band + 2 (the
 * transposed side), gamma_m = m 2^-24 / (1 - m 2^-24): a bounded multiple of the float32 storage
 * error itself, independent of n (panel-product-kernel.test.ts checks the bound).
 */
export const PANEL_GROUP = 32;

export function panelProduct(b: number, symmetric: boolean): FuncDef {
  const pa = 0, rows = 1, cols = 2, ld = 3, pxJ = 4, pyJ = 5, pxI = 6, pyI = 7;
  let next = 8;
  const ro = next++, q = next++, xi = next++, yi = next++, cur = next++, end = next++, gEnd = next++, px = next++, py = next++, ldb = next++;
  const nI32 = next - 8;
  const a = [next++, next++];
  const x = next++;
  const acc32 = [0, 1].map(() => Array.from({ length: b }, () => next++));
  const acc64 = [0, 1].map(() => Array.from({ length: b }, () => next++));
  const nV128 = next - 8 - nI32;
  const c = new Code();
  c.get(ld).i32(2).shl().set(ldb);
  const zero = (l: number) => c.f64Const(0).f64x2Splat().set(l);
  const rowLoop = (R: number) => {
    c.block().loop();
    c.get(rows).get(ro).sub().i32(R).ltU().brIf(1);
    c.get(ro).i32(-4).and().set(q);
    c.get(pxI).get(q).i32(4 * b).mul().add().get(ro).i32(3).and().i32(2).shl().add().set(xi);
    c.get(pyI).get(q).i32(8 * b).mul().add().get(ro).i32(3).and().i32(3).shl().add().set(yi);
    c.get(pa).get(ro).get(ldb).mul().add().set(cur);
    c.get(cur).get(cols).i32(2).shl().add().set(end);
    c.get(pxJ).set(px);
    if (symmetric) c.get(pyJ).set(py);
    for (let r = 0; r < R; r++) for (let v = 0; v < b; v++) zero(acc64[r][v]);
    c.block().loop();
    c.get(cur).get(end).geU().brIf(1);
    // gEnd = min(cur + GROUP chunks, end)
    c.get(cur).i32(16 * PANEL_GROUP).add().tee(gEnd).get(end).get(gEnd).get(end).ltU().select().set(gEnd);
    for (let r = 0; r < R; r++) for (let v = 0; v < b; v++) zero(acc32[r][v]);
    c.block().loop();
    c.get(cur).get(gEnd).geU().brIf(1);
    c.get(cur).v128Load().set(a[0]);
    if (R === 2) c.get(cur).get(ldb).add().v128Load().set(a[1]);
    for (let v = 0; v < b; v++) {
      c.get(px).v128Load(16 * v).set(x);
      for (let r = 0; r < R; r++) c.get(acc32[r][v]).get(a[r]).get(x).f32x4Mul().f32x4Add().set(acc32[r][v]);
      if (symmetric) {
        c.get(py).get(py).v128Load(16 * v);
        for (let r = 0; r < R; r++) c.get(a[r]).get(xi).v128Load32Splat(16 * v + 4 * r).f32x4Mul().f32x4Add();
        c.v128Store(16 * v);
      }
    }
    c.get(cur).i32(16).add().set(cur);
    c.get(px).i32(16 * b).add().set(px);
    if (symmetric) c.get(py).i32(16 * b).add().set(py);
    c.br(0).end().end();
    for (let r = 0; r < R; r++) {
      for (let v = 0; v < b; v++) {
        const s = acc32[r][v];
        c.get(acc64[r][v]).get(s).f64x2PromoteLow().f64x2Add()
          .get(s).get(s).shuffle32([2, 3, 2, 3]).f64x2PromoteLow().f64x2Add().set(acc64[r][v]);
      }
    }
    c.br(0).end().end();
    for (let r = 0; r < R; r++) {
      for (let v = 0; v < b; v++) {
        const off = 32 * v + 8 * r;
        c.get(yi).get(yi).f64Load(off).get(acc64[r][v]).f64x2Lane(0).get(acc64[r][v]).f64x2Lane(1).f64Add().f64Add().f64Store(off);
      }
    }
    c.get(ro).i32(R).add().set(ro);
    c.br(0).end().end();
  };
  rowLoop(2);
  rowLoop(1);
  return {
    name: `panel${symmetric ? 'Symv' : 'Gemv'}F32_${b}`,
    params: Array.from({ length: 8 }, (): ValType => 'i32'),
    results: [],
    locals: [...Array.from({ length: nI32 }, (): ValType => 'i32'), ...Array.from({ length: nV128 }, (): ValType => 'v128')],
    body: c,
  };
}

/** panelFlushF32(p32, p64, count): p64[k] += p32[k] (float32 promoted), then p32[k] = 0; count % 4 == 0. */
export function panelFlush(): FuncDef {
  const p32 = 0, p64 = 1, count = 2, end = 3, v = 4;
  const c = new Code();
  c.get(p32).get(count).i32(2).shl().add().set(end);
  c.block().loop();
  c.get(p32).get(end).geU().brIf(1);
  c.get(p32).v128Load().set(v);
  c.get(p64).get(p64).v128Load(0).get(v).f64x2PromoteLow().f64x2Add().v128Store(0);
  c.get(p64).get(p64).v128Load(16).get(v).get(v).shuffle32([2, 3, 2, 3]).f64x2PromoteLow().f64x2Add().v128Store(16);
  c.get(p32).f64Const(0).f64x2Splat().v128Store();
  c.get(p32).i32(16).add().set(p32);
  c.get(p64).i32(32).add().set(p64);
  c.br(0).end().end();
  return { name: 'panelFlushF32', params: ['i32', 'i32', 'i32'], results: [], locals: ['i32', 'v128'], body: c };
}

/** The panel kernels for 1, 2 and 4 vectors. */
export function panelKernelDefinitions(): FuncDef[] {
  return [1, 2, 4].flatMap((b) => [panelProduct(b, true), panelProduct(b, false)]).concat([panelFlush()]);
}
