/**
 * Seeded, splittable random number generator.
 *
 * Algorithm (documented so results can be reproduced outside pikt):
 * - A generator is identified by a 64-bit *key* held as two uint32 words (k0, k1).
 *   `createRng(seed)` derives the key from the seed: an integer seed s gives
 *   (fmix32(s_lo ^ 0x85ebca6b), fmix32(s_hi ^ 0xc2b2ae35)), a string seed is first hashed with FNV-1a.
 * - The stream is xoshiro128** (Blackman & Vigna, 2018) whose 128-bit state is filled from the key
 *   by four steps of splitmix32 (a Weyl sequence with increment 0x9e3779b9 followed by a
 *   murmur3-style mixer). xoshiro128** passes BigCrush for 32-bit outputs and is fast in JS.
 * - Splitting is counter-free: the child labelled `label` (a uint32 index or a string hashed with
 *   FNV-1a) has key (fmix32(k0 ^ fmix32(label + 0x9e3779b9)), fmix32(k1 + fmix32(label ^ 0x7f4a7c15) + k0)).
 *   A child depends only on its parent's key and its label, never on how many numbers the parent
 *   has drawn, so `rng.child('init')` is the same stream in every run with the same seed.
 * - `uniform()` uses 53 bits from two outputs; `normal()` is the Box-Muller transform in float64
 *   (both values of a pair are used).
 */
export interface Rng {
  /** The 64-bit key as two uint32 words; equal keys give equal streams. */
  readonly key: readonly [number, number];
  /** Next raw 32-bit output (unsigned). */
  nextUint32(): number;
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Fill `out` with N(mean, std^2) draws; returns `out`. */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean?: number, std?: number): T;
  /** Fill `out` with U[lo, hi) draws; returns `out`. */
  fillUniform<T extends Float32Array | Float64Array>(out: T, lo?: number, hi?: number): T;
  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array;
  /** An independent child stream named by `label`. */
  child(label: number | string): Rng;
  /** `count` independent children labelled 0..count-1. */
  split(count: number): Rng[];
}

const U32 = 0x100000000;

/** murmur3's 32-bit finalizer: a bijective avalanche mixer on uint32. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function labelToUint32(label: number | string): number {
  if (typeof label === 'string') return fnv1a(label);
  if (!Number.isInteger(label) || label < 0 || label >= U32) {
    throw new RangeError(`Rng child label must be a string or an integer in [0, 2^32), got ${label}. Use a string label for anything else.`);
  }
  return label >>> 0;
}

function keyFromSeed(seed: number | string): [number, number] {
  if (typeof seed === 'string') {
    const h = fnv1a(seed);
    return [fmix32(h ^ 0x85ebca6b), fmix32(fnv1a(`${seed}\u0000`) ^ 0xc2b2ae35)];
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`Rng seed must be a non-negative safe integer or a string, got ${seed}.`);
  }
  const lo = seed % U32;
  const hi = Math.floor(seed / U32);
  return [fmix32((lo ^ 0x85ebca6b) >>> 0), fmix32((hi ^ 0xc2b2ae35) >>> 0)];
}

class Xoshiro128 implements Rng {
  readonly key: readonly [number, number];
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(key: readonly [number, number]) {
    this.key = [key[0] >>> 0, key[1] >>> 0];
    // splitmix32 seeding of the 128-bit state from the 64-bit key.
    let x = (key[0] ^ Math.imul(key[1], 0x9e3779b9)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      return fmix32(x ^ key[1]);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is absorbing
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u1 = this.uniform();
    while (u1 === 0) u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > U32) {
      throw new RangeError(`Rng.int(n) needs an integer n in [1, 2^32], got ${n}.`);
    }
    // Rejection sampling removes modulo bias.
    const limit = U32 - (U32 % n);
    let v = this.nextUint32();
    while (v >= limit) v = this.nextUint32();
    return v % n;
  }

  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  fillUniform<T extends Float32Array | Float64Array>(out: T, lo = 0, hi = 1): T {
    const w = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + w * this.uniform();
    return out;
  }

  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  child(label: number | string): Rng {
    const h = labelToUint32(label);
    const [k0, k1] = this.key;
    const c0 = fmix32((k0 ^ fmix32((h + 0x9e3779b9) >>> 0)) >>> 0);
    const c1 = fmix32((k1 + fmix32((h ^ 0x7f4a7c15) >>> 0) + k0) >>> 0);
    return new Xoshiro128([c0, c1]);
  }

  split(count: number): Rng[] {
    return Array.from({ length: count }, (_, i) => this.child(i));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Create a generator from a non-negative integer or string seed. See the module docs for the algorithm. */
export function createRng(seed: number | string): Rng {
  return new Xoshiro128(keyFromSeed(seed));
}

/** Rebuild a generator from a saved key (e.g. from a checkpoint). */
export function rngFromKey(key: readonly [number, number]): Rng {
  return new Xoshiro128(key);
}
