import { Code, type FuncDef, type ValType } from './assembler.js';
import { arcCosRowF32, arcCosRowI32 } from './arccos-kernel.js';
import { gramTilesF32, gramTilesF64, gramTilesI16 } from './gram-tile-kernel.js';
import { panelKernelDefinitions } from './panel-product-kernel.js';

/**
 * The package's numeric kernels in WebAssembly SIMD (f64x2), emitted by `assembler.ts`. All
 * pointers are byte offsets into the imported memory, lengths count elements. Float32 Gram blocks
 * are promoted to float64 before every multiply, so sums are float64 (SCIENCE.md: analysis in f64).
 *
 * Each loop handles two elements per step and finishes odd lengths with a scalar tail; the
 * float32 Gram kernels require the column count to be even (callers pad blocks with zeros).
 */

/** dot(px, py, n) -> sum_i x_i y_i, with two f64x2 accumulators. */
function dot(): FuncDef {
  const [px, py, n, end4, endAll, acc0, acc1, s] = [0, 1, 2, 3, 4, 5, 6, 7];
  const c = new Code();
  c.get(px).get(n).i32(-4).and().i32(3).shl().add().set(end4);
  c.get(px).get(n).i32(3).shl().add().set(endAll);
  c.block().loop()
    .get(px).get(end4).geU().brIf(1)
    .get(acc0).get(px).v128Load(0).get(py).v128Load(0).f64x2Mul().f64x2Add().set(acc0)
    .get(acc1).get(px).v128Load(16).get(py).v128Load(16).f64x2Mul().f64x2Add().set(acc1)
    .get(px).i32(32).add().set(px)
    .get(py).i32(32).add().set(py)
    .br(0).end().end();
  c.get(acc0).get(acc1).f64x2Add().set(acc0);
  c.get(acc0).f64x2Lane(0).get(acc0).f64x2Lane(1).f64Add().set(s);
  scalarTail(c, px, endAll, () => {
    c.get(s).get(px).f64Load().get(py).f64Load().f64Mul().f64Add().set(s);
  }, [py]);
  c.get(s);
  return { name: 'dot', params: ['i32', 'i32', 'i32'], results: ['f64'], locals: ['i32', 'i32', 'v128', 'v128', 'f64'], body: c };
}

/** axpy(alpha, px, py, n): y <- y + alpha x. */
function axpy(): FuncDef {
  const [alpha, px, py, n, end2, endAll, va] = [0, 1, 2, 3, 4, 5, 6];
  const c = new Code();
  c.get(alpha).f64x2Splat().set(va);
  pairBounds(c, px, n, end2, endAll);
  c.block().loop()
    .get(px).get(end2).geU().brIf(1)
    .get(py).get(py).v128Load().get(va).get(px).v128Load().f64x2Mul().f64x2Add().v128Store()
    .get(px).i32(16).add().set(px)
    .get(py).i32(16).add().set(py)
    .br(0).end().end();
  scalarTail(c, px, endAll, () => {
    c.get(py).get(py).f64Load().get(alpha).get(px).f64Load().f64Mul().f64Add().f64Store();
  }, [py]);
  return { name: 'axpy', params: ['f64', 'i32', 'i32', 'i32'], results: [], locals: ['i32', 'i32', 'v128'], body: c };
}

/** symvRow(pa, pv, pp, vi, len) -> sum_j a_j v_j, and p_j += a_j vi (one row of a lower-triangle symv). */
function symvRow(): FuncDef {
  const [pa, pv, pp, vi, len, end2, endAll, acc, vvi, av, s, a] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const c = new Code();
  c.get(vi).f64x2Splat().set(vvi);
  pairBounds(c, pa, len, end2, endAll);
  c.block().loop()
    .get(pa).get(end2).geU().brIf(1)
    .get(pa).v128Load().set(av)
    .get(acc).get(av).get(pv).v128Load().f64x2Mul().f64x2Add().set(acc)
    .get(pp).get(pp).v128Load().get(av).get(vvi).f64x2Mul().f64x2Add().v128Store()
    .get(pa).i32(16).add().set(pa)
    .get(pv).i32(16).add().set(pv)
    .get(pp).i32(16).add().set(pp)
    .br(0).end().end();
  c.get(acc).f64x2Lane(0).get(acc).f64x2Lane(1).f64Add().set(s);
  scalarTail(c, pa, endAll, () => {
    c.get(pa).f64Load().set(a);
    c.get(s).get(a).get(pv).f64Load().f64Mul().f64Add().set(s);
    c.get(pp).get(pp).f64Load().get(a).get(vi).f64Mul().f64Add().f64Store();
  }, [pv, pp]);
  c.get(s);
  return { name: 'symvRow', params: ['i32', 'i32', 'i32', 'f64', 'i32'], results: ['f64'], locals: ['i32', 'i32', 'v128', 'v128', 'v128', 'f64', 'f64'], body: c };
}

/** syr2Row(pa, pv, pw, vi, wi, len): a_j <- a_j - vi w_j - wi v_j. */
function syr2Row(): FuncDef {
  const [pa, pv, pw, vi, wi, len, end2, endAll, vvi, vwi] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const c = new Code();
  c.get(vi).f64x2Splat().set(vvi);
  c.get(wi).f64x2Splat().set(vwi);
  pairBounds(c, pa, len, end2, endAll);
  c.block().loop()
    .get(pa).get(end2).geU().brIf(1)
    .get(pa).get(pa).v128Load()
    .get(vvi).get(pw).v128Load().f64x2Mul().get(vwi).get(pv).v128Load().f64x2Mul().f64x2Add()
    .f64x2Sub().v128Store()
    .get(pa).i32(16).add().set(pa)
    .get(pv).i32(16).add().set(pv)
    .get(pw).i32(16).add().set(pw)
    .br(0).end().end();
  scalarTail(c, pa, endAll, () => {
    c.get(pa).get(pa).f64Load()
      .get(vi).get(pw).f64Load().f64Mul().get(wi).get(pv).f64Load().f64Mul().f64Add()
      .f64Sub().f64Store();
  }, [pv, pw]);
  return { name: 'syr2Row', params: ['i32', 'i32', 'i32', 'f64', 'f64', 'i32'], results: [], locals: ['i32', 'i32', 'v128', 'v128'], body: c };
}

/**
 * syr2SymvRow(pa, pv, pw, vi, wi, pu, pp, ui, len) -> sum_j a'_j u_j, where a'_j = a_j - vi w_j - wi v_j
 * is stored back and p_j += a'_j ui: one row of the rank-2 update of Householder step k fused with
 * the symmetric product of step k+1, so the trailing matrix is streamed once per step.
 */
function syr2SymvRow(): FuncDef {
  const [pa, pv, pw, vi, wi, pu, pp, ui, len, end2, endAll, vvi, vwi, vui, acc, av, s, a] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const c = new Code();
  c.get(vi).f64x2Splat().set(vvi);
  c.get(wi).f64x2Splat().set(vwi);
  c.get(ui).f64x2Splat().set(vui);
  pairBounds(c, pa, len, end2, endAll);
  c.block().loop()
    .get(pa).get(end2).geU().brIf(1)
    .get(pa).v128Load()
    .get(vvi).get(pw).v128Load().f64x2Mul().get(vwi).get(pv).v128Load().f64x2Mul().f64x2Add()
    .f64x2Sub().set(av)
    .get(pa).get(av).v128Store()
    .get(acc).get(av).get(pu).v128Load().f64x2Mul().f64x2Add().set(acc)
    .get(pp).get(pp).v128Load().get(av).get(vui).f64x2Mul().f64x2Add().v128Store()
    .get(pa).i32(16).add().set(pa)
    .get(pv).i32(16).add().set(pv)
    .get(pw).i32(16).add().set(pw)
    .get(pu).i32(16).add().set(pu)
    .get(pp).i32(16).add().set(pp)
    .br(0).end().end();
  c.get(acc).f64x2Lane(0).get(acc).f64x2Lane(1).f64Add().set(s);
  scalarTail(c, pa, endAll, () => {
    c.get(pa).f64Load()
      .get(vi).get(pw).f64Load().f64Mul().get(wi).get(pv).f64Load().f64Mul().f64Add()
      .f64Sub().set(a);
    c.get(pa).get(a).f64Store();
    c.get(s).get(a).get(pu).f64Load().f64Mul().f64Add().set(s);
    c.get(pp).get(pp).f64Load().get(a).get(ui).f64Mul().f64Add().f64Store();
  }, [pv, pw, pu, pp]);
  c.get(s);
  return {
    name: 'syr2SymvRow', params: ['i32', 'i32', 'i32', 'f64', 'f64', 'i32', 'i32', 'f64', 'i32'], results: ['f64'],
    locals: ['i32', 'i32', 'v128', 'v128', 'v128', 'v128', 'v128', 'f64', 'f64'], body: c,
  };
}

/** rot(pa, pb, c, s, len): (a, b) <- (c a - s b, s a + c b), a plane rotation of two rows. */
function rot(): FuncDef {
  const [pa, pb, cc, ss, len, end2, endAll, vc, vs, va, vb, fa, fb] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const c = new Code();
  c.get(cc).f64x2Splat().set(vc);
  c.get(ss).f64x2Splat().set(vs);
  pairBounds(c, pa, len, end2, endAll);
  c.block().loop()
    .get(pa).get(end2).geU().brIf(1)
    .get(pa).v128Load().set(va)
    .get(pb).v128Load().set(vb)
    .get(pa).get(vc).get(va).f64x2Mul().get(vs).get(vb).f64x2Mul().f64x2Sub().v128Store()
    .get(pb).get(vs).get(va).f64x2Mul().get(vc).get(vb).f64x2Mul().f64x2Add().v128Store()
    .get(pa).i32(16).add().set(pa)
    .get(pb).i32(16).add().set(pb)
    .br(0).end().end();
  scalarTail(c, pa, endAll, () => {
    c.get(pa).f64Load().set(fa).get(pb).f64Load().set(fb);
    c.get(pa).get(cc).get(fa).f64Mul().get(ss).get(fb).f64Mul().f64Sub().f64Store();
    c.get(pb).get(ss).get(fa).f64Mul().get(cc).get(fb).f64Mul().f64Add().f64Store();
  }, [pb]);
  return { name: 'rot', params: ['i32', 'i32', 'f64', 'f64', 'i32'], results: [], locals: ['i32', 'i32', 'v128', 'v128', 'v128', 'v128', 'f64', 'f64'], body: c };
}

/**
 * Float32 Gram block products for `b` vectors at once (vectors `stride` bytes apart), the block
 * read once for all of them.
 *   gemvF32_b(pa, rows, cols, ld, px, py, stride):                  y_r += sum_c a_rc x_c
 *   symvF32_b(pa, rows, cols, ld, pxJ, pyJ, pxI, pyI, stride):      y_I += A x_J and y_J += A^T x_I
 * The second form lets an off-diagonal block of a symmetric matrix be stored once. `ld` is the row
 * pitch in elements; `cols` must be even. With `f64` the matrix is float64 (gemvF64_b).
 */
function gramKernel(b: number, symmetric: boolean, f64 = false): FuncDef {
  const elem = f64 ? 8 : 4;
  const pa = 0, rows = 1, cols = 2, ld = 3, pxJ = 4;
  const pyJ = symmetric ? 5 : -1;
  const pxI = symmetric ? 6 : -1;
  const yRow = symmetric ? 7 : 5;
  const stride = symmetric ? 8 : 6;
  const nParams = stride + 1;
  let next = nParams;
  const cur = next++, end = next++, px = next++, py = next++, h = next++;
  const acc = Array.from({ length: b }, () => next++);
  const xi = Array.from({ length: b }, () => next++);
  const locals: ValType[] = ['i32', 'i32', 'i32', 'i32', 'v128', ...acc.map((): ValType => 'v128'), ...xi.map((): ValType => 'v128')];
  const c = new Code();
  c.block().loop()
    .get(rows).eqz().brIf(1);
  for (let v = 0; v < b; v++) {
    c.f64Const(0).f64x2Splat().set(acc[v]);
    if (symmetric) c.get(pxI).raw(strideOffset(stride, v)).f64Load().f64x2Splat().set(xi[v]);
  }
  c.get(pa).set(cur).get(pxJ).set(px);
  if (symmetric) c.get(pyJ).set(py);
  c.get(pa).get(cols).i32(f64 ? 3 : 2).shl().add().set(end);
  c.block().loop()
    .get(cur).get(end).geU().brIf(1);
  if (f64) c.get(cur).v128Load().set(h);
  else c.get(cur).v128Load64Zero().f64x2PromoteLow().set(h);
  for (let v = 0; v < b; v++) {
    c.get(acc[v]).get(h).get(px).raw(strideOffset(stride, v)).v128Load().f64x2Mul().f64x2Add().set(acc[v]);
    if (symmetric) {
      c.get(py).raw(strideOffset(stride, v))
        .get(py).raw(strideOffset(stride, v)).v128Load().get(h).get(xi[v]).f64x2Mul().f64x2Add().v128Store();
    }
  }
  c.get(cur).i32(2 * elem).add().set(cur)
    .get(px).i32(16).add().set(px);
  if (symmetric) c.get(py).i32(16).add().set(py);
  c.br(0).end().end();
  for (let v = 0; v < b; v++) {
    c.get(yRow).raw(strideOffset(stride, v))
      .get(yRow).raw(strideOffset(stride, v)).f64Load()
      .get(acc[v]).f64x2Lane(0).get(acc[v]).f64x2Lane(1).f64Add().f64Add().f64Store();
  }
  c.get(pa).get(ld).i32(f64 ? 3 : 2).shl().add().set(pa);
  if (symmetric) c.get(pxI).i32(8).add().set(pxI);
  c.get(yRow).i32(8).add().set(yRow);
  c.get(rows).i32(1).sub().set(rows)
    .br(0).end().end();
  const params: ValType[] = Array.from({ length: nParams }, (): ValType => 'i32');
  return { name: `${symmetric ? 'symv' : 'gemv'}F${f64 ? 64 : 32}_${b}`, params, results: [], locals, body: c };
}

/** Code computing (ptr on stack) + v * stride: leaves the address for vector v. */
function strideOffset(strideLocal: number, v: number): Code {
  const c = new Code();
  if (v === 0) return c;
  return c.get(strideLocal).i32(v).mul().add();
}

function pairBounds(c: Code, p: number, n: number, end2: number, endAll: number): void {
  c.get(p).get(n).i32(-2).and().i32(3).shl().add().set(end2);
  c.get(p).get(n).i32(3).shl().add().set(endAll);
}

/** Scalar loop from p to end, 8 bytes per step, also advancing the `others` pointers. */
function scalarTail(c: Code, p: number, end: number, body: () => void, others: number[]): void {
  c.block().loop().get(p).get(end).geU().brIf(1);
  body();
  c.get(p).i32(8).add().set(p);
  for (const o of others) c.get(o).i32(8).add().set(o);
  c.br(0).end().end();
}

/** Every kernel of the package's module. */
export function kernelDefinitions(): FuncDef[] {
  return [dot(), axpy(), symvRow(), syr2Row(), syr2SymvRow(), rot(), gramKernel(1, false), gramKernel(2, false), gramKernel(4, false), gramKernel(1, true), gramKernel(2, true), gramKernel(4, true), gramKernel(1, false, true), gramKernel(2, false, true), gramTilesF32(), ...panelKernelDefinitions(), gramTilesF64(), gramKernel(4, false, true), arcCosRowF32(), gramTilesI16(), arcCosRowI32()];
}
