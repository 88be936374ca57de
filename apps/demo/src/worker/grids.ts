/** Sampling helpers for the heat-map and decision-region views (plain arrays, no tensors). */

/**
 * Up to `side` sample indices spread evenly over the set, sorted by class (all y < 0 first), so the
 * block structure of the Gram shows in the heat map.
 */
export function subsampleOrder(y: ArrayLike<number>, side: number): number[] {
  const n = y.length;
  const count = Math.min(side, n);
  const picked = Array.from({ length: count }, (_, i) => Math.floor((i * n) / count));
  return [...picked.filter((i) => y[i] < 0), ...picked.filter((i) => y[i] >= 0)];
}

/** H[order, order] of a row-major n x n matrix. */
export function submatrix(H: ArrayLike<number>, n: number, order: readonly number[]): number[] {
  const out: number[] = [];
  for (const i of order) for (const j of order) out.push(H[i * n + j]);
  return out;
}

/**
 * A side x side grid of cell centres over the bounding box of the 2-D points, widened by 15 %:
 * row r (top to bottom, y decreasing), column c, point (r * side + c) at [2 (r * side + c)].
 */
export function planeGrid(points: ArrayLike<number>, side: number): { box: [number, number, number, number]; points: Float64Array } {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    x0 = Math.min(x0, points[i]); x1 = Math.max(x1, points[i]);
    y0 = Math.min(y0, points[i + 1]); y1 = Math.max(y1, points[i + 1]);
  }
  const px = 0.15 * (x1 - x0 || 1); const py = 0.15 * (y1 - y0 || 1);
  x0 -= px; x1 += px; y0 -= py; y1 += py;
  const out = new Float64Array(side * side * 2);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      out[2 * (r * side + c)] = x0 + ((c + 0.5) / side) * (x1 - x0);
      out[2 * (r * side + c) + 1] = y1 - ((r + 0.5) / side) * (y1 - y0);
    }
  }
  return { box: [x0, x1, y0, y1], points: out };
}
