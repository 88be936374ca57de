import type { PanelProduct } from '@pikt/linalg';

/** Rows per band: the transposed side of a block is summed in float32 over at most this many rows. */
export const PANEL_BAND = 64;

/** The kernels `panelBlockProduct` calls (a workspace's KernelSet, or a worker's instance exports). */
export interface PanelKernels {
  panelSymvF32_1: PanelProduct; panelSymvF32_2: PanelProduct; panelSymvF32_4: PanelProduct;
  panelGemvF32_1: PanelProduct; panelGemvF32_2: PanelProduct; panelGemvF32_4: PanelProduct;
  panelFlushF32(p32: number, p64: number, count: number): void;
}

/**
 * One stored block times b vectors in the float32 panel layout (linalg's panel-product-kernel.ts):
 * y_I += A x_J, and off the diagonal y_J += A^T x_I, band by band (64 rows) through the float32
 * scratch, which is then added into the float64 y panel. `px` / `py` are the panels' bases
 * (column 0); i0 and j0 are multiples of 4. Self-contained on purpose (no imports, no closures but
 * PANEL_BAND): its source text also runs in the block-product workers.
 */
export function panelBlockProduct(
  k: PanelKernels, b: number, ptr: number, rows: number, ld: number, i0: number, j0: number, diagonal: number,
  px: number, py: number, scratch: number,
): void {
  const xJ = px + 4 * b * j0, xI = px + 4 * b * i0, yJ = py + 8 * b * j0, yI = py + 8 * b * i0;
  const symv = b === 4 ? k.panelSymvF32_4 : b === 2 ? k.panelSymvF32_2 : k.panelSymvF32_1;
  if (diagonal) {
    // Stored whole, read by its lower triangle: each band's columns left of the band by symv (both
    // products, as off the diagonal), then the band's own square by gemv. The pass streams about
    // half of the block instead of all of it (diagonal blocks are 8% of the Gram at n = 50,000).
    const gemv = b === 4 ? k.panelGemvF32_4 : b === 2 ? k.panelGemvF32_2 : k.panelGemvF32_1;
    for (let r0 = 0; r0 < rows; r0 += PANEL_BAND) {
      const band = Math.min(PANEL_BAND, rows - r0);
      if (r0 > 0) {
        symv(ptr + 4 * ld * r0, band, r0, ld, xJ, scratch, xI + 4 * b * r0, yI + 8 * b * r0);
        k.panelFlushF32(scratch, yJ, r0 * b);
      }
      gemv(ptr + 4 * (ld * r0 + r0), band, r0 + band < rows ? band : ld - r0, ld, xJ + 4 * b * r0, 0, xI + 4 * b * r0, yI + 8 * b * r0);
    }
    return;
  }
  for (let r0 = 0; r0 < rows; r0 += PANEL_BAND) {
    symv(ptr + 4 * ld * r0, Math.min(PANEL_BAND, rows - r0), ld, ld, xJ, scratch, xI + 4 * b * r0, yI + 8 * b * r0);
    k.panelFlushF32(scratch, yJ, ld * b);
  }
}

/** Write b vectors (from xs[v0]) into the float32 panel at f32[base..], zero-padded to `cols` columns. */
export function packPanel(f32: Float32Array, xs: readonly Float64Array[], v0: number, b: number, cols: number): void {
  for (let v = 0; v < b; v++) {
    const x = xs[v0 + v];
    for (let c = 0; c < cols; c++) f32[(c >> 2) * 4 * b + 4 * v + (c & 3)] = c < x.length ? x[c] : 0;
  }
}

/** ys[v0 + v][i] += the float64 panel's entry (i, v), for i < n. */
export function addFromPanel(f64: Float64Array, ys: Float64Array[], v0: number, b: number, n: number): void {
  for (let v = 0; v < b; v++) {
    const y = ys[v0 + v];
    for (let i = 0; i < n; i++) y[i] += f64[(i >> 2) * 4 * b + 4 * v + (i & 3)];
  }
}
