import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { PANEL_GROUP } from './panel-product-kernel.js';
import { createWorkspace } from './workspace.js';

const U = 2 ** -24;
const gamma = (m: number) => (m * U) / (1 - m * U);

/**
 * One block (rows x cols, pitch ld, float32) times b vectors in the panel layout, against a float64
 * reference on the same float32 entries and float32-rounded vectors' exact values. Checks the
 * stated bound |err_i| <= gamma_m sum_j |a_ij x_j| (m = GROUP + 2 on the row side, band + 2 on the
 * transposed side) and the wasm and JS kernels against each other.
 */
function run(prefer: 'auto' | 'js', rows: number, cols: number, b: 1 | 2 | 4, seed: number) {
  const ld = Math.ceil(cols / 4) * 4;
  const nr = Math.ceil(rows / 4) * 4, nc = ld;
  const ws = createWorkspace(4 * rows * ld + 4 * b * (nr + nc) + 8 * b * (nr + nc) + 4 * b * nc + 4096, prefer);
  const rng = createRng(seed);
  const pa = ws.alloc(4 * rows * ld);
  const A = ws.f32(pa, rows * ld);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) A[r * ld + c] = rng.normal();
  const at = (c: number, v: number) => (c >> 2) * 4 * b + 4 * v + (c & 3);
  const pxJ = ws.alloc(4 * b * nc), pxI = ws.alloc(4 * b * nr), pyI = ws.alloc(8 * b * nr), pyJ32 = ws.alloc(4 * b * nc), pyJ = ws.alloc(8 * b * nc);
  const XJ = ws.f32(pxJ, b * nc), XI = ws.f32(pxI, b * nr);
  for (let v = 0; v < b; v++) {
    for (let c = 0; c < cols; c++) XJ[at(c, v)] = Math.sin(0.3 * c + v) + 0.1;
    for (let r = 0; r < rows; r++) XI[at(r, v)] = Math.cos(0.7 * r + v);
  }
  const sym = b === 4 ? ws.k.panelSymvF32_4 : b === 2 ? ws.k.panelSymvF32_2 : ws.k.panelSymvF32_1;
  const gen = b === 4 ? ws.k.panelGemvF32_4 : b === 2 ? ws.k.panelGemvF32_2 : ws.k.panelGemvF32_1;
  sym(pa, rows, ld, ld, pxJ, pyJ32, pxI, pyI);
  ws.k.panelFlushF32(pyJ32, pyJ, b * nc);
  const yI = Array.from(ws.f64(pyI, b * nr));
  const yJ = Array.from(ws.f64(pyJ, b * nc));
  const flushed = Array.from(ws.f32(pyJ32, b * nc));
  ws.f64(pyI, b * nr).fill(0);
  gen(pa, rows, ld, ld, pxJ, 0, pxI, pyI);
  const gI = Array.from(ws.f64(pyI, b * nr));
  const bounds = { row: 0, col: 0 };
  for (let v = 0; v < b; v++) {
    for (let r = 0; r < rows; r++) {
      let s = 0, m = 0;
      for (let c = 0; c < cols; c++) { s += A[r * ld + c] * XJ[at(c, v)]; m += Math.abs(A[r * ld + c] * XJ[at(c, v)]); }
      const e = Math.abs(yI[at(r, v)] - s);
      expect(e).toBeLessThanOrEqual(gamma(PANEL_GROUP + 2) * m);
      expect(gI[at(r, v)]).toBe(yI[at(r, v)]);
      bounds.row = Math.max(bounds.row, e / m);
    }
    for (let c = 0; c < cols; c++) {
      let s = 0, m = 0;
      for (let r = 0; r < rows; r++) { s += A[r * ld + c] * XI[at(r, v)]; m += Math.abs(A[r * ld + c] * XI[at(r, v)]); }
      const e = Math.abs(yJ[at(c, v)] - s);
      expect(e).toBeLessThanOrEqual(gamma(rows + 2) * m);
      bounds.col = Math.max(bounds.col, e / m);
    }
  }
  expect(flushed.every((f) => f === 0)).toBe(true);
  return { yI, yJ, bounds };
}

describe('float32 panel products (symmetric block and diagonal block)', () => {
  for (const [rows, cols] of [[1, 4], [7, 9], [37, 300], [64, 301]] as const) {
    for (const b of [1, 2, 4] as const) {
      it(`${rows} x ${cols}, ${b} vector(s): within the float32 bound of a float64 reference; wasm equals JS to that bound`, () => {
        const w = run('auto', rows, cols, b, rows + cols + b);
        const j = run('js', rows, cols, b, rows + cols + b);
        for (let k = 0; k < w.yI.length; k++) expect(Math.abs(w.yI[k] - j.yI[k])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(j.yI[k])));
        for (let k = 0; k < w.yJ.length; k++) expect(Math.abs(w.yJ[k] - j.yJ[k])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(j.yJ[k])));
      });
    }
  }
});
