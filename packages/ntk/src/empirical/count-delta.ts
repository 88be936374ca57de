/**
 * The exact integer change of the pattern counts since W(0),
 *
 *     D = S S^T - S_0 S_0^T,      (S S^T)_ij = sum_r s_ir s_jr,
 *
 * kept up to date from pattern flips: training moves few patterns between two tracked steps, so
 * instead of recounting S S^T (n^2 m / 64 word ANDs and popcounts, O(n^2 m)) only the flipped
 * entries are visited. For one neuron with old patterns o and new p over the points (F = flipped
 * points, delta_i = p_i - o_i),
 *
 *     (p p^T - o o^T)_ij = delta_i o_j            i in F, j not in F (o_j = p_j)
 *                        = p_i p_j - o_i o_j      i, j in F,
 *
 * O(|F| n) work per neuron. D is stored as D_ij = E_ij + E_ji (i != j) with each update written
 * to row i of E only (contiguous), and its diagonal apart. Patterns are kept neuron-major, one
 * n-bit row per neuron (m ceil(n/32) words).
 */
export interface CountDelta {
  /** Pack neuron-major values [b, n] of neurons r0..r0+b into the next patterns (mask: nonzero; signs: >= 0). */
  packRows(values: ArrayLike<number>, b: number, r0: number, kind: 'mask' | 'signs'): void;
  /** Set the next patterns of points i0.. and neurons r0.. from points-major pre-activations [rows, cols] (s = 1{z >= 0}). */
  packPointsMajor(z: ArrayLike<number>, rows: number, cols: number, i0: number, r0: number): void;
  /** Flipped entries between the last and the next patterns, or -1 when there are no last patterns. */
  flips(): number;
  /** D += S_next S_next^T - S_last S_last^T from the flips; the next patterns become the last. */
  applyFlips(): void;
  /** D from full counts of the next patterns: `set(i, j, count_ij)` for every j <= i; the next become the last. */
  setFromCounts(fill: (set: (i: number, j: number, count: number) => void) => void): void;
  /** Forget the last patterns (another path packed the current ones): the next update recounts. */
  invalidate(): void;
  /** sum_ij g_ij^2 D_ij^2 (the drift's numerator, times m^2), g row-major n x n (lower triangle read). */
  weightedSquares(g: ArrayLike<number>): number;
}

/** `c0` holds S_0 S_0^T (row-major n x n, lower triangle used). */
export function createCountDelta(n: number, m: number, c0: Int32Array): CountDelta {
  const words = (n + 31) >>> 5;
  let last: Uint32Array | null = null;
  let next: Uint32Array = new Uint32Array(m * words);
  const e = new Int32Array(n * n);
  const diag = new Int32Array(n);
  const swap = (): void => {
    const old = last;
    last = next;
    next = old ?? new Uint32Array(m * words);
  };
  return {
    packRows(values, b, r0, kind) {
      // Whole words at a time; float32 masks are tested on their bit patterns (nonzero: any bit but the sign).
      const bits = kind === 'mask' && values instanceof Float32Array ? new Int32Array(values.buffer, values.byteOffset, values.length) : null;
      for (let r = 0; r < b; r++) {
        const row = (r0 + r) * words;
        const src = r * n;
        for (let w = 0; w < words; w++) {
          const i0 = w << 5;
          const len = Math.min(32, n - i0);
          let word = 0;
          if (bits) {
            for (let k = 0; k < len; k++) word |= ((((bits[src + i0 + k] & 0x7fffffff) + 0x7fffffff) >>> 31) << k);
          } else if (kind === 'mask') {
            for (let k = 0; k < len; k++) if (values[src + i0 + k] !== 0) word |= 1 << k;
          } else {
            for (let k = 0; k < len; k++) if (values[src + i0 + k] >= 0) word |= 1 << k;
          }
          next[row + w] = word;
        }
      }
    },
    packPointsMajor(z, rows, cols, i0, r0) {
      for (let r = 0; r < cols; r++) {
        const row = (r0 + r) * words;
        for (let i = 0; i < rows; i++) {
          const p = i0 + i;
          const bit = 1 << (p & 31);
          if (z[i * cols + r] >= 0) next[row + (p >>> 5)] |= bit;
          else next[row + (p >>> 5)] &= ~bit;
        }
      }
    },
    flips() {
      if (!last) return -1;
      let f = 0;
      for (let k = 0; k < next.length; k++) f += popcount32(last[k] ^ next[k]);
      return f;
    },
    applyFlips() {
      const o = last as Uint32Array;
      const p = next;
      // Pass 1, per neuron: the diagonal, the flipped pairs, and each flipped point's (neuron, sign).
      const pts: number[] = [];
      const codes: number[] = [];
      for (let r = 0; r < m; r++) {
        const row = r * words;
        let any = 0;
        for (let w = 0; w < words; w++) any |= o[row + w] ^ p[row + w];
        if (any === 0) continue;
        for (let w = 0; w < words; w++) {
          let flipped = o[row + w] ^ p[row + w];
          while (flipped !== 0) {
            const low = flipped & -flipped;
            const i = (w << 5) + 31 - Math.clz32(low);
            flipped ^= low;
            const pi = (p[row + w] & low) !== 0 ? 1 : 0;
            const oi = 1 - pi;
            diag[i] += pi - oi;
            pts.push(i);
            codes.push(2 * r + pi);
            // j flipped, j > i: E_ij += p_i p_j - o_i o_j (each unordered pair once).
            const ei = i * n;
            for (let u = w; u < words; u++) {
              const pu = p[row + u];
              let both = o[row + u] ^ pu;
              if (u === w) both &= ~((low << 1) - 1); // bits above i only
              while (both !== 0) {
                const lj = both & -both;
                const pj = (pu & lj) !== 0 ? 1 : 0;
                e[ei + (u << 5) + 31 - Math.clz32(lj)] += pi * pj - oi * (1 - pj);
                both ^= lj;
              }
            }
          }
        }
      }
      // Pass 2, per flipped point i: E_ij += sum_r delta_ir [o_rj = p_rj = 1] over its flips, the
      // +1 and -1 rows summed by bit-sliced counters (planes of bits, 32 points j a word) instead
      // of one add per set bit.
      const start = new Int32Array(n + 1);
      for (const i of pts) start[i + 1]++;
      for (let i = 0; i < n; i++) start[i + 1] += start[i];
      const order = new Int32Array(pts.length);
      const fill = start.slice(0, n);
      pts.forEach((i, k) => { order[fill[i]++] = codes[k]; });
      const plus = new Int32Array(32), minus = new Int32Array(32);
      for (let i = 0; i < n; i++) {
        const k0 = start[i], k1 = start[i + 1];
        if (k0 === k1) continue;
        const levels = 32 - Math.clz32(k1 - k0);
        const ei = i * n;
        for (let u = 0; u < words; u++) {
          plus.fill(0, 0, levels);
          minus.fill(0, 0, levels);
          let seen = 0;
          for (let k = k0; k < k1; k++) {
            const code = order[k];
            const at = (code >>> 1) * words + u;
            let carry = o[at] & p[at];
            seen |= carry;
            const planes = (code & 1) === 1 ? plus : minus;
            for (let l = 0; carry !== 0 && l < levels; l++) {
              const t = planes[l] & carry;
              planes[l] ^= carry;
              carry = t;
            }
          }
          if (seen === 0) continue;
          const base = ei + (u << 5);
          const len = Math.min(32, n - (u << 5));
          for (let b = 0; b < len; b++) {
            let v = 0;
            for (let l = 0; l < levels; l++) v += (((plus[l] >>> b) & 1) - ((minus[l] >>> b) & 1)) << l;
            if (v !== 0) e[base + b] += v;
          }
        }
      }
      swap();
    },
    setFromCounts(fill) {
      e.fill(0);
      fill((i, j, count) => {
        const d = count - c0[i * n + j];
        if (i === j) diag[i] = d;
        else e[i * n + j] = d;
      });
      swap();
    },
    invalidate() {
      last = null;
    },
    weightedSquares(g) {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const gi = g[i * n + i];
        s += gi * gi * diag[i] * diag[i];
        for (let j = 0; j < i; j++) {
          const dij = e[i * n + j] + e[j * n + i];
          if (dij !== 0) {
            const gij = g[i * n + j];
            s += 2 * gij * gij * dij * dij;
          }
        }
      }
      return s;
    },
  };
}

function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
