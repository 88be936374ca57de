import { createRng } from '@pikt/core';
import { describe, expect, it, vi } from 'vitest';
import { assembleModule, sleb, uleb } from './assembler.js';
import { kernelDefinitions } from './kernels.js';
import { announceFallback, selectKernelModule } from './kernel-select.js';
import { createWorkspace, linalgKernels, type Workspace } from './workspace.js';

describe('wasm assembler', () => {
  it('encodes LEB128 as the spec does', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([127]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-4)).toEqual([0x7c]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('emits a module that validates, with the SIMD kernels in use on Node', () => {
    expect(WebAssembly.validate(assembleModule(kernelDefinitions()))).toBe(true);
    expect(linalgKernels()).toEqual({ kind: 'wasm-simd' });
  });
});

describe('kernel selection', () => {
  const good = () => assembleModule(kernelDefinitions());

  it('compiles the SIMD module on a runtime with SIMD, with no reason and no warning', () => {
    const r = selectKernelModule(good, {});
    expect(r.module).toBeInstanceOf(WebAssembly.Module);
    expect(r.info).toEqual({ kind: 'wasm-simd' });
    expect(r.warning).toBeUndefined();
  });

  it('a forced fallback says so and does not warn', () => {
    const r = selectKernelModule(good, { forceJs: 'PIKT_LINALG_KERNELS=js' });
    expect(r).toEqual({ module: null, info: { kind: 'js', reason: 'forced by PIKT_LINALG_KERNELS=js' } });
  });

  it('a module that fails on a SIMD runtime falls back loudly, naming the failure', () => {
    const thrown = selectKernelModule(() => { throw new Error('opcode 0xfd 0x99 unknown'); }, {});
    expect(thrown.module).toBeNull();
    expect(thrown.info).toEqual({ kind: 'js', reason: 'the kernel module failed to build: opcode 0xfd 0x99 unknown' });
    expect(thrown.warning).toBe('@pikt/linalg: the kernel module failed to build: opcode 0xfd 0x99 unknown, although this runtime supports '
      + 'WebAssembly SIMD; the float64 analysis falls back to the plain-JS kernels (same numbers, several times slower). '
      + 'Please report this with your runtime version.');
    const invalid = selectKernelModule(() => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x0a, 0x01]), {});
    expect(invalid.info).toEqual({ kind: 'js', reason: 'the kernel module failed WebAssembly validation' });
    expect(invalid.warning).toMatch(/^@pikt\/linalg: the kernel module failed WebAssembly validation, although/);
  });

  it('announces through process.emitWarning with a code Node users can filter on', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      announceFallback('kernels broke');
      expect(spy).toHaveBeenCalledWith('kernels broke', { code: 'PIKT_LINALG_JS_FALLBACK' });
    } finally {
      spy.mockRestore();
    }
  });
});

/** Run the same kernel calls on a wasm and a JS workspace filled with the same random bytes. */
function twin() {
  const size = 1 << 16;
  const a = createWorkspace(size);
  const b = createWorkspace(size, 'js');
  expect(a.kind).toBe('wasm-simd');
  expect(b.kind).toBe('js');
  const rng = createRng(7);
  const fa = a.f64(16, (size - 1024) / 8);
  rng.fillUniform(fa, -1, 1);
  b.f64(16, fa.length).set(fa);
  return { a, b, fa, fb: b.f64(16, fa.length) };
}

describe('SIMD kernels agree with the JS reference', () => {
  for (const len of [0, 1, 2, 3, 4, 5, 17, 64, 101]) {
    it(`dot, axpy, symvRow, syr2Row, syr2SymvRow, rot at length ${len}`, () => {
      const { a, b, fa, fb } = twin();
      const p = (i: number) => 16 + 8 * 200 * i; // disjoint float64 regions
      const run = (ws: Workspace): number[] => {
        const r1 = ws.k.dot(p(0), p(1), len);
        ws.k.axpy(0.37, p(0), p(2), len);
        const r2 = ws.k.symvRow(p(0), p(1), p(3), -1.25, len);
        ws.k.syr2Row(p(4), p(0), p(1), 0.5, -2, len);
        const r3 = ws.k.syr2SymvRow(p(5), p(0), p(1), 0.3, 0.7, p(2), p(6), 1.1, len);
        ws.k.rot(p(7), p(8), 0.6, 0.8, len);
        return [r1, r2, r3];
      };
      const ra = run(a);
      const rb = run(b);
      for (let i = 0; i < 3; i++) expect(Math.abs(ra[i] - rb[i])).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(rb[i])));
      for (let i = 0; i < 9 * 200; i++) expect(Math.abs(fa[i] - fb[i])).toBeLessThanOrEqual(1e-13);
      if (len > 0) expect(ra[0]).not.toBe(0);
    });
  }

  for (const [rows, cols, ld] of [[1, 2, 2], [3, 4, 6], [7, 10, 10], [5, 0, 4]] as const) {
    it(`float32 Gram kernels (gemv, symv; 1 and 2 vectors) on a ${rows} x ${cols} block`, () => {
      const { a, b, fa, fb } = twin();
      const stride = 8 * 32;
      const pA = 16 + 8 * 1000; // float32 block region
      for (const ws of [a, b]) {
        const A = ws.f32(pA, rows * ld);
        for (let i = 0; i < A.length; i++) A[i] = Math.fround(Math.sin(i + 1));
        const px = 16, py = 16 + 2 * stride, pxI = 16 + 4 * stride, pyI = 16 + 6 * stride;
        ws.k.gemvF32_1(pA, rows, cols, ld, px, py, stride);
        ws.k.gemvF32_2(pA, rows, cols, ld, px, py, stride);
        ws.k.symvF32_1(pA, rows, cols, ld, px, py, pxI, pyI, stride);
        ws.k.symvF32_2(pA, rows, cols, ld, px, py, pxI, pyI, stride);
        ws.k.gemvF32_4(pA, rows, cols, ld, px, py, stride / 2);
        ws.k.symvF32_4(pA, rows, cols, ld, px, py, pxI, pyI, stride / 2);
        const pB = 16 + 8 * 1200; // float64 block region
        ws.k.gemvF64_1(pB, rows, cols, ld, px, py, stride);
        ws.k.gemvF64_2(pB, rows, cols, ld, px, pxI, stride);
        ws.k.gemvF64_4(pB, rows, cols, ld, px, py, stride / 4);
      }
      for (let i = 0; i < 8 * 32; i++) expect(Math.abs(fa[i] - fb[i])).toBeLessThanOrEqual(1e-12);
    });
  }

  it('gemvF32_1 computes y += A x with A promoted to float64', () => {
    const ws = createWorkspace(1 << 12);
    const pA = ws.alloc(4 * 6), px = ws.alloc(8 * 2), py = ws.alloc(8 * 3);
    ws.f32(pA, 6).set([1, 2, 3, 4, 5, 6]);
    ws.f64(px, 2).set([0.5, -1]);
    ws.f64(py, 3).set([10, 20, 30]);
    ws.k.gemvF32_1(pA, 3, 2, 2, px, py, 0);
    expect(Array.from(ws.f64(py, 3))).toEqual([10 + 0.5 - 2, 20 + 1.5 - 4, 30 + 2.5 - 6]);
  });
});
