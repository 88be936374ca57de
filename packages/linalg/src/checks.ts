import { NonFiniteError, ShapeMismatchError } from '@pikt/core';

/** Plain numeric arrays the package accepts (row-major where a matrix is meant). */
export type RealArray = Float64Array | Float32Array | readonly number[];

/** Throws NonFiniteError at the first NaN or infinity in `a`. */
export function requireFinite(what: string, a: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isFinite(v)) throw new NonFiniteError(what, i, v);
  }
}

/** n for a row-major n x n matrix, or a ShapeMismatchError that says so. */
export function squareSize(what: string, a: ArrayLike<number>, n?: number): number {
  const size = n ?? Math.round(Math.sqrt(a.length));
  if (size * size !== a.length) throw new ShapeMismatchError(`${what} (row-major n x n)`, `n*n values for n=${size}`, `${a.length} values`);
  return size;
}

/** Largest |a_ij - a_ji| relative to max |a_ij|: 0 for an exactly symmetric matrix. */
export function asymmetry(a: ArrayLike<number>, n: number): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const d = Math.abs(a[i * n + j] - a[j * n + i]);
      if (d > worst) worst = d;
    }
    for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(a[i * n + j]));
  }
  return scale === 0 ? 0 : worst / scale;
}
