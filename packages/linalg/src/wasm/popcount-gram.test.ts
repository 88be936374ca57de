import { createRng, InvalidOptionError, OutOfMemoryBudgetError, ShapeMismatchError } from '@pikt/core';
import { describe, expect, it, vi } from 'vitest';
import { assembleModule } from './assembler.js';
import { createPopcountGram, popcountKernels, type PopcountKernelKind } from './popcount-gram.js';
import { popcountTileScalar, popcountTileSimd, popcount32 } from './popcount-kernels.js';
import { packMask, packNeuronMajor, packSigns, patternBit } from './popcount-pack.js';

const KINDS: PopcountKernelKind[] = ['wasm-simd', 'wasm-scalar', 'js'];

/** Gaussian pre-activations [rows, bits], about half of them >= 0. */
function preacts(rows: number, bits: number, seed: number): Float32Array {
  return createRng(seed).fillNormal(new Float32Array(rows * bits));
}

/** Independent float64 reference: C_ij = sum_r 1{z_ir >= 0} 1{y_jr >= 0}. */
function referenceCounts(z: Float32Array, y: Float32Array, rows: number, cols: number, bits: number): Float64Array {
  const c = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < bits; r++) s += (z[i * bits + r] >= 0 ? 1 : 0) * (y[j * bits + r] >= 0 ? 1 : 0);
      c[i * cols + j] = s;
    }
  }
  return c;
}

/** Run a Gram and collect its counts as a dense [rows, cols] array (symmetric: mirrored from j <= i). */
function collect(kind: PopcountKernelKind, z: Float32Array, y: Float32Array | null, rows: number, cols: number, bits: number, extra: { rowBlock?: number; neuronBlock?: number } = {}): Float64Array {
  const g = createPopcountGram({ rows, cols: y ? cols : null, bits, kernel: kind, rowBlock: extra.rowBlock });
  const nb = extra.neuronBlock ?? bits;
  for (let r0 = 0; r0 < bits; r0 += nb) {
    const r1 = Math.min(bits, r0 + nb);
    const slice = (src: Float32Array, n: number) => {
      const out = new Float32Array(n * (r1 - r0));
      for (let i = 0; i < n; i++) out.set(src.subarray(i * bits + r0, i * bits + r1), i * (r1 - r0));
      return out;
    };
    packSigns(g.a, slice(z, rows), rows, r1 - r0, 0, r0);
    if (y) packSigns(g.b, slice(y, cols), cols, r1 - r0, 0, r0);
  }
  const c = new Float64Array(rows * cols);
  g.run((i0, i1, counts, ld) => {
    for (let i = i0; i < i1; i++) {
      for (let j = 0; j < (y ? cols : i + 1); j++) {
        c[i * cols + j] = counts[(i - i0) * ld + j];
        if (!y) c[j * cols + i] = counts[(i - i0) * ld + j];
      }
    }
  });
  return c;
}

describe('popcount Gram: exact co-activation counts S_A S_B^T', () => {
  it('uses the SIMD kernel on Node, and every module validates', () => {
    expect(popcountKernels()).toEqual({ kind: 'wasm-simd' });
    expect(WebAssembly.validate(assembleModule([popcountTileSimd()]))).toBe(true);
    expect(WebAssembly.validate(assembleModule([popcountTileScalar()]))).toBe(true);
  });

  it('PIKT_LINALG_KERNELS=js selects the JS counts and says why', async () => {
    vi.resetModules();
    process.env.PIKT_LINALG_KERNELS = 'js';
    try {
      const fresh = await import('./popcount-gram.js');
      expect(fresh.popcountKernels()).toEqual({ kind: 'js', reason: 'forced by PIKT_LINALG_KERNELS=js' });
      expect(fresh.createPopcountGram({ rows: 2, cols: null, bits: 8 }).kind).toBe('js');
    } finally {
      delete process.env.PIKT_LINALG_KERNELS;
    }
  });

  it('popcount32 counts bits of any 32-bit word', () => {
    expect([0, 1, 0xff, 0x80000000 | 0, -1, 0x55555555, 0x12345678].map(popcount32)).toEqual([0, 1, 8, 1, 32, 16, 13]);
  });

  for (const kind of KINDS) {
    it(`${kind}: rectangular (odd rows and columns, bits not a multiple of 32) equals the float64 reference`, () => {
      const rows = 41, cols = 23, bits = 300;
      const z = preacts(rows, bits, 1), y = preacts(cols, bits, 2);
      expect(Array.from(collect(kind, z, y, rows, cols, bits, { rowBlock: 7, neuronBlock: 45 }))).toEqual(Array.from(referenceCounts(z, y, rows, cols, bits)));
    });

    it(`${kind}: symmetric, over many byte-lane chunks (bits = 9000 > 31 x 128 per widening)`, () => {
      const rows = 9, bits = 9000;
      const z = preacts(rows, bits, 3);
      expect(Array.from(collect(kind, z, null, rows, rows, bits, { rowBlock: 4 }))).toEqual(Array.from(referenceCounts(z, z, rows, rows, bits)));
    });

    it(`${kind}: all-ones rows count every bit (no byte-lane overflow at 8 x 31)`, () => {
      const bits = 31 * 128 * 2 + 77;
      const ones = new Float32Array(3 * bits).fill(1);
      const c = collect(kind, ones, null, 3, 3, bits);
      expect(Array.from(c)).toEqual(new Array(9).fill(bits));
    });
  }

  it('the three kernels give identical counts on a larger random case', () => {
    const rows = 64, cols = 50, bits = 1000;
    const z = preacts(rows, bits, 7), y = preacts(cols, bits, 8);
    const [simd, scalar, js] = KINDS.map((k) => Array.from(collect(k, z, y, rows, cols, bits)));
    expect(scalar).toEqual(simd);
    expect(js).toEqual(simd);
  });

  it('packs signs (>= 0, -0 included, NaN excluded) and masks (!= 0) at any bit offset', () => {
    const g = createPopcountGram({ rows: 3, cols: null, bits: 70, kernel: 'js' });
    packSigns(g.a, [-0, 0, -1e-30, NaN, 2], 1, 5, 2, 30);
    expect([30, 31, 32, 33, 34].map((b) => patternBit(g.a, 2, b))).toEqual([1, 1, 0, 0, 1]);
    packMask(g.a, new Uint8Array([1, 0, 3]), 1, 3, 0, 67);
    expect([66, 67, 68, 69].map((b) => patternBit(g.a, 0, b))).toEqual([0, 1, 0, 1]);
    expect(() => packSigns(g.a, [1, 2], 1, 3)).toThrow(ShapeMismatchError);
    expect(() => packSigns(g.a, [1, 2], 1, 2, 0, 69)).toThrow(InvalidOptionError);
    expect(() => packSigns(g.a, [1, 2], 1, 2, 3, 0)).toThrow(InvalidOptionError);
  });

  it('neuron-major blocks ([neurons, rows], as a blocked forward pass holds them) pack to the same bits', () => {
    const rows = 7, bits = 70;
    const z = preacts(rows, bits, 9);
    const zT = new Float32Array(bits * rows);
    for (let i = 0; i < rows; i++) for (let r = 0; r < bits; r++) zT[r * rows + i] = z[i * bits + r];
    const step = zT.map((v) => (v > 0 ? 1 : 0));
    const [direct, signs, mask, plain] = [0, 1, 2, 3].map(() => createPopcountGram({ rows, cols: null, bits, kernel: 'js' }));
    packSigns(direct.a, z, rows, bits);
    packNeuronMajor(signs.a, zT.subarray(0, 33 * rows), 33, rows, 'signs', 0, 0);
    packNeuronMajor(signs.a, zT.subarray(33 * rows), bits - 33, rows, 'signs', 0, 33);
    packNeuronMajor(mask.a, step, bits, rows, 'mask');
    packNeuronMajor(plain.a, Array.from(step), bits, rows, 'mask');
    for (const g of [signs, mask, plain]) expect(Array.from(g.a.words)).toEqual(Array.from(direct.a.words));
  });

  it('refuses over budget up front, naming the bytes', () => {
    // 5000 rows x 10^5 bits = 5000 x 12512 bytes packed + a 2 x 5000 count block.
    expect(() => createPopcountGram({ rows: 5000, cols: null, bits: 100000, rowBlock: 2, memoryBudgetBytes: 1e6 })).toThrow(OutOfMemoryBudgetError);
    try {
      createPopcountGram({ rows: 5000, cols: null, bits: 100000, rowBlock: 2, memoryBudgetBytes: 1e6 });
    } catch (e) {
      expect((e as OutOfMemoryBudgetError).bytesNeeded).toBe(5000 * 12512 + 2 * 5000 * 4 + 64);
    }
    expect(() => createPopcountGram({ rows: 4, cols: null, bits: 8, kernel: 'gpu' as never })).toThrow(InvalidOptionError);
  });
});
