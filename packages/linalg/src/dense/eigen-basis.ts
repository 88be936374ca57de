/**
 * An orthonormal eigenbasis of a symmetric matrix, H = V diag(values) V^T, in whatever form is
 * cheapest to hold: explicit eigenvectors (`eigh`) or the implicit factored form (`eighFactor`).
 * The kernel-regime predictor only ever needs coordinates in the basis and vectors built from
 * coordinates, so it works with either.
 */
export interface EigenBasis {
  readonly n: number;
  /** mu_1 >= ... >= mu_n. */
  readonly values: Float64Array;
  /** Coordinates c = V^T b (c_j = v_j . b), length n. */
  project(b: ArrayLike<number>): Float64Array;
  /** The vector V c = sum_j c_j v_j, length n. */
  expand(c: ArrayLike<number>): Float64Array;
}

/** The basis of explicit eigenvectors stored as rows (`EighResult.vectors`). */
export function basisFromVectors(values: Float64Array, vectors: Float64Array): EigenBasis {
  const n = values.length;
  return {
    n,
    values,
    project(b) {
      const c = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        let s = 0;
        const row = j * n;
        for (let i = 0; i < n; i++) s += vectors[row + i] * b[i];
        c[j] = s;
      }
      return c;
    },
    expand(c) {
      const out = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const cj = c[j];
        if (cj === 0) continue;
        const row = j * n;
        for (let i = 0; i < n; i++) out[i] += cj * vectors[row + i];
      }
      return out;
    },
  };
}

/** Growable log of the QL plane rotations (i, c, s), replayable forwards and backwards. */
export class RotationLog {
  private idx = new Int32Array(1024);
  private cs = new Float64Array(2048);
  length = 0;

  push(i: number, c: number, s: number): void {
    if (this.length === this.idx.length) {
      const idx = new Int32Array(this.idx.length * 2);
      idx.set(this.idx);
      const cs = new Float64Array(this.cs.length * 2);
      cs.set(this.cs);
      this.idx = idx;
      this.cs = cs;
    }
    this.idx[this.length] = i;
    this.cs[2 * this.length] = c;
    this.cs[2 * this.length + 1] = s;
    this.length += 1;
  }

  /** x <- R_last ... R_1 x: the rotations as they were applied to rows during the sweep. */
  forward(x: Float64Array): void {
    const { idx, cs } = this;
    for (let r = 0; r < this.length; r++) {
      const i = idx[r];
      const c = cs[2 * r];
      const s = cs[2 * r + 1];
      const a = x[i];
      const b = x[i + 1];
      x[i] = c * a - s * b;
      x[i + 1] = s * a + c * b;
    }
  }

  /** x <- R_1^T ... R_last^T x: the inverse of `forward`. */
  backward(x: Float64Array): void {
    const { idx, cs } = this;
    for (let r = this.length - 1; r >= 0; r--) {
      const i = idx[r];
      const c = cs[2 * r];
      const s = cs[2 * r + 1];
      const a = x[i];
      const b = x[i + 1];
      x[i] = c * a + s * b;
      x[i + 1] = -s * a + c * b;
    }
  }

  /** Bytes held. */
  get bytes(): number {
    return this.idx.byteLength + this.cs.byteLength;
  }
}
