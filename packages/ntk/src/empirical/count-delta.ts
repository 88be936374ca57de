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
 * to row i of E only (contiguous), and its diagonal apart; after each update E_ji is folded into
 * E_ij (i > j) in cache-sized tiles, so the sum reads the lower triangle row by row. Patterns are
 * kept neuron-major, one n-bit row per neuron (m ceil(n/32) words); packing also counts each
 * neuron's flips against the last patterns.
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
  // The work is in module-level functions taking typed arrays and integers only: their optimized
  // code serves every tracker and call, with no object shapes to depend on.
  const words = (n + 31) >>> 5;
  let last: Uint32Array | null = null;
  let next: Uint32Array = new Uint32Array(m * words);
  const e = new Int32Array(n * n); // D in its lower triangle between updates (E_ij + E_ji while one runs)
  const diag = new Int32Array(n);
  // Flipped entries of each neuron between last and next, counted while packing rows (-1: not counted).
  const rowFlips = new Int32Array(m).fill(-1);
  const swap = (): void => {
    const old = last;
    last = next;
    next = old ?? new Uint32Array(m * words);
    rowFlips.fill(-1);
  };
  return {
    packRows(values, b, r0, kind) {
      if (kind === 'mask' && values instanceof Float32Array) {
        packMaskBits(new Int32Array(values.buffer, values.byteOffset, values.length), n, words, b, r0, next, last, rowFlips);
      } else {
        packValues(values, kind, n, words, b, r0, next, last, rowFlips);
      }
    },
    packPointsMajor(z, rows, cols, i0, r0) {
      for (let r = 0; r < cols; r++) {
        const row = (r0 + r) * words;
        rowFlips[r0 + r] = -1;
        for (let i = 0; i < rows; i++) {
          const p = i0 + i;
          const bit = 1 << (p & 31);
          if (z[i * cols + r] >= 0) next[row + (p >>> 5)] |= bit;
          else next[row + (p >>> 5)] &= ~bit;
        }
      }
    },
    flips: () => (last ? countFlips(last, next, m, words, rowFlips) : -1),
    applyFlips() {
      if (!last) throw new Error('count-delta: applyFlips needs last patterns (setFromCounts first)');
      const total = countFlips(last, next, m, words, rowFlips);
      const pts = new Int32Array(total), codes = new Int32Array(total);
      collectFlips(last, next, n, m, words, rowFlips, e, diag, pts, codes);
      const start = new Int32Array(n + 1), order = new Int32Array(total);
      groupByPoint(pts, codes, n, start, order);
      addFlipRows(last, next, n, words, start, order, e);
      foldUpper(e, n);
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
      rowFlips.fill(-1);
    },
    weightedSquares: (g) => weightedSquares(e, diag, g, n),
  };
}

/** Pack float32 0/1 masks [b, n] (as their bits: nonzero = any bit but the sign) of neurons r0.., counting flips against `last`. */
function packMaskBits(bits: Int32Array, n: number, words: number, b: number, r0: number, next: Uint32Array, last: Uint32Array | null, rowFlips: Int32Array): void {
  // One call per neuron: a small function called thousands of times is optimized within the first drift.
  for (let r = 0; r < b; r++) {
    const f = packMaskRow(bits, r * n, n, words, next, (r0 + r) * words, last ?? next);
    rowFlips[r0 + r] = last ? f : -1;
  }
}

/** One neuron's mask bits (n values from bits[src]) into next[row..], returning its flips against `last`. */
function packMaskRow(bits: Int32Array, src: number, n: number, words: number, next: Uint32Array, row: number, last: Uint32Array): number {
  let flipped = 0;
  for (let w = 0; w < words; w++) {
    const i0 = src + (w << 5);
    const len = Math.min(32, n - (w << 5));
    let word = 0;
    for (let k = 0; k < len; k++) word |= ((((bits[i0 + k] & 0x7fffffff) + 0x7fffffff) >>> 31) << k);
    next[row + w] = word;
    flipped += popcount32(word ^ last[row + w]);
  }
  return flipped;
}

/** Pack values [b, n] of neurons r0.. (mask: nonzero, signs: >= 0), counting flips against `last`. */
function packValues(values: ArrayLike<number>, kind: 'mask' | 'signs', n: number, words: number, b: number, r0: number, next: Uint32Array, last: Uint32Array | null, rowFlips: Int32Array): void {
  for (let r = 0; r < b; r++) {
    const row = (r0 + r) * words;
    let flipped = 0;
    for (let w = 0; w < words; w++) {
      const i0 = r * n + (w << 5);
      const len = Math.min(32, n - (w << 5));
      let word = 0;
      if (kind === 'mask') for (let k = 0; k < len; k++) { if (values[i0 + k] !== 0) word |= 1 << k; }
      else for (let k = 0; k < len; k++) { if (values[i0 + k] >= 0) word |= 1 << k; }
      next[row + w] = word;
      if (last) flipped += popcount32(word ^ last[row + w]);
    }
    rowFlips[r0 + r] = last ? flipped : -1;
  }
}

/** Flipped entries between `last` and `next`, counting the neurons packing did not count. */
function countFlips(last: Uint32Array, next: Uint32Array, m: number, words: number, rowFlips: Int32Array): number {
  let f = 0;
  for (let r = 0; r < m; r++) {
    if (rowFlips[r] < 0) {
      let c = 0;
      for (let k = r * words; k < (r + 1) * words; k++) c += popcount32(last[k] ^ next[k]);
      rowFlips[r] = c;
    }
    f += rowFlips[r];
  }
  return f;
}

/**
 * Pass 1, per neuron: the diagonal and the flipped pairs (i < j both flipped: E_ij += p_i p_j -
 * o_i o_j, +1 both on, -1 both off), and each flip's point (`pts`) and code 2 r + p_ir (`codes`).
 */
function collectFlips(o: Uint32Array, p: Uint32Array, n: number, m: number, words: number, rowFlips: Int32Array,
  e: Int32Array, diag: Int32Array, pts: Int32Array, codes: Int32Array): void {
  const fi = new Int32Array(n), fp = new Int32Array(n);
  let nf = 0;
  for (let r = 0; r < m; r++) {
    if (rowFlips[r] !== 0) nf = collectNeuron(o, p, r, n, words, e, diag, pts, codes, nf, fi, fp);
  }
}

/** Neuron r's flips (pass 1), appended to pts/codes from index nf; returns the new count. */
function collectNeuron(o: Uint32Array, p: Uint32Array, r: number, n: number, words: number,
  e: Int32Array, diag: Int32Array, pts: Int32Array, codes: Int32Array, nf: number, fi: Int32Array, fp: Int32Array): number {
  const row = r * words;
  let c = 0;
  for (let w = 0; w < words; w++) {
    const pw = p[row + w];
    let flipped = o[row + w] ^ pw;
    while (flipped !== 0) {
      const low = flipped & -flipped;
      const i = (w << 5) + 31 - Math.clz32(low);
      flipped ^= low;
      const pi = (pw & low) !== 0 ? 1 : 0;
      diag[i] += 2 * pi - 1;
      fi[c] = i;
      fp[c++] = pi;
      pts[nf] = i;
      codes[nf++] = 2 * r + pi;
    }
  }
  for (let a = 0; a < c; a++) {
    const ei = fi[a] * n, pa = fp[a];
    for (let b = a + 1; b < c; b++) if (fp[b] === pa) e[ei + fi[b]] += 2 * pa - 1;
  }
  return nf;
}

/** Counting sort of the codes by point: point i's codes at order[start[i]..start[i+1]). */
function groupByPoint(pts: Int32Array, codes: Int32Array, n: number, start: Int32Array, order: Int32Array): void {
  for (let k = 0; k < pts.length; k++) start[pts[k] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  for (let k = 0; k < pts.length; k++) order[fill[pts[k]]++] = codes[k];
}

/** Each lane (a byte) starts at 64: 63 adds or subtracts of 0/1 keep it in 1..127, with no carry or sign. */
const LANE_BIAS = 64;
const LANES_BIAS = 0x40404040;
/** SPREAD[q]: the 4 bits of q, bit t in byte lane t. */
const SPREAD = Int32Array.from({ length: 16 }, (_, q) => (q & 1) | ((q & 2) << 7) | ((q & 4) << 14) | ((q & 8) << 21));

/**
 * Pass 2, per flipped point i: E_ij += sum_r delta_ir [o_rj = p_rj = 1] over its flips. The +-1
 * rows are summed in byte lanes, four points j a word (word a holds j = 4a..4a+3), each 4-bit
 * group of a pattern word spread to its lanes by a table: 8 adds per 32 points instead of one per
 * set bit; the lanes are added to row i of E every 63 flips and at the point's end.
 */
function addFlipRows(o: Uint32Array, p: Uint32Array, n: number, words: number, start: Int32Array, codes: Int32Array, e: Int32Array): void {
  const acc = new Int32Array(words * 8).fill(LANES_BIAS);
  for (let i = 0; i < n; i++) {
    const k0 = start[i], k1 = start[i + 1];
    let pending = 0;
    for (let k = k0; k < k1; k++) {
      const code = codes[k];
      if ((code & 1) === 1) addStableRow(o, p, (code >>> 1) * words, words, acc);
      else subtractStableRow(o, p, (code >>> 1) * words, words, acc);
      if (++pending === LANE_BIAS - 1 || k === k1 - 1) {
        flushLanes(acc, e, i * n, n);
        pending = 0;
      }
    }
  }
}

/** acc += the lanes of o & p (one neuron's points on before and after), the row at `base`. */
function addStableRow(o: Uint32Array, p: Uint32Array, base: number, words: number, acc: Int32Array): void {
  for (let u = 0, a = 0; u < words; u++, a += 8) {
    const v = o[base + u] & p[base + u];
    if (v === 0) continue;
    acc[a] += SPREAD[v & 15]; acc[a + 1] += SPREAD[(v >>> 4) & 15];
    acc[a + 2] += SPREAD[(v >>> 8) & 15]; acc[a + 3] += SPREAD[(v >>> 12) & 15];
    acc[a + 4] += SPREAD[(v >>> 16) & 15]; acc[a + 5] += SPREAD[(v >>> 20) & 15];
    acc[a + 6] += SPREAD[(v >>> 24) & 15]; acc[a + 7] += SPREAD[v >>> 28];
  }
}

/** acc -= the lanes of o & p, the row at `base`. */
function subtractStableRow(o: Uint32Array, p: Uint32Array, base: number, words: number, acc: Int32Array): void {
  for (let u = 0, a = 0; u < words; u++, a += 8) {
    const v = o[base + u] & p[base + u];
    if (v === 0) continue;
    acc[a] -= SPREAD[v & 15]; acc[a + 1] -= SPREAD[(v >>> 4) & 15];
    acc[a + 2] -= SPREAD[(v >>> 8) & 15]; acc[a + 3] -= SPREAD[(v >>> 12) & 15];
    acc[a + 4] -= SPREAD[(v >>> 16) & 15]; acc[a + 5] -= SPREAD[(v >>> 20) & 15];
    acc[a + 6] -= SPREAD[(v >>> 24) & 15]; acc[a + 7] -= SPREAD[v >>> 28];
  }
}

/** e[ei + j] += lane j - 64 for j < n, and the lanes back to 64. */
function flushLanes(acc: Int32Array, e: Int32Array, ei: number, n: number): void {
  let j = 0;
  for (let a = 0; j + 4 <= n; a++, j += 4) {
    const v = acc[a];
    if (v === LANES_BIAS) continue;
    e[ei + j] += (v & 255) - LANE_BIAS;
    e[ei + j + 1] += ((v >>> 8) & 255) - LANE_BIAS;
    e[ei + j + 2] += ((v >>> 16) & 255) - LANE_BIAS;
    e[ei + j + 3] += (v >>> 24) - LANE_BIAS;
    acc[a] = LANES_BIAS;
  }
  for (; j < n; j++) e[ei + j] += ((acc[j >>> 2] >>> ((j & 3) << 3)) & 255) - LANE_BIAS;
  acc.fill(LANES_BIAS, j >>> 2);
}

/** E_ij += E_ji, E_ji = 0 for i > j (n x n row-major), in tiles that stay in cache. */
function foldUpper(e: Int32Array, n: number): void {
  const T = 64;
  for (let i0 = 0; i0 < n; i0 += T) {
    const i1 = Math.min(n, i0 + T);
    for (let j0 = 0; j0 <= i0; j0 += T) {
      for (let i = i0; i < i1; i++) {
        const ei = i * n;
        const j1 = Math.min(j0 + T, i);
        for (let j = j0; j < j1; j++) {
          const up = j * n + i;
          e[ei + j] += e[up];
          e[up] = 0;
        }
      }
    }
  }
}

/** sum_ij g_ij^2 D_ij^2 from the diagonal and E's lower triangle, row by row. */
function weightedSquares(e: Int32Array, diag: Int32Array, g: ArrayLike<number>, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const gi = g[i * n + i];
    sum += gi * gi * diag[i] * diag[i];
    sum = addRowSquares(e, g, i * n, i, sum);
  }
  return sum;
}

/** sum + 2 g_ij^2 D_ij^2 over j < i, in order (the running sum is passed through, so the order is the plain double loop's). */
function addRowSquares(e: Int32Array, g: ArrayLike<number>, ei: number, i: number, sum: number): number {
  // No test for dij = 0: adding +0 leaves the sum as it was, and the branch would mispredict.
  for (let j = 0; j < i; j++) {
    const gij = g[ei + j], dij = e[ei + j];
    sum += 2 * gij * gij * dij * dij;
  }
  return sum;
}

function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
