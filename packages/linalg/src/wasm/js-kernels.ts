import type { KernelSet, PanelProduct } from './workspace.js';
import { arcCosRowJs } from './arccos-kernel.js';

/**
 * Plain-JS versions of the wasm kernels over the same byte-offset contracts (kernels.ts): the
 * fallback where WebAssembly SIMD is missing, and the reference the kernel tests compare against.
 * Pointers are byte offsets; float64 data is 8-byte aligned and float32 data 4-byte aligned.
 */
export function jsKernels(buffer: ArrayBuffer): KernelSet {
  const F = new Float64Array(buffer);
  const S = new Float32Array(buffer);
  const I = new Int32Array(buffer);
  const H = new Int16Array(buffer);
  const gemv = (b: number) => (pa: number, rows: number, cols: number, ld: number, px: number, py: number, stride: number): void => {
    for (let r = 0; r < rows; r++) {
      const a = pa / 4 + r * ld;
      for (let v = 0; v < b; v++) {
        const x = (px + v * stride) / 8;
        let s = 0;
        for (let c = 0; c < cols; c++) s += S[a + c] * F[x + c];
        F[(py + v * stride) / 8 + r] += s;
      }
    }
  };
  const gemv64 = (b: number) => (pa: number, rows: number, cols: number, ld: number, px: number, py: number, stride: number): void => {
    for (let r = 0; r < rows; r++) {
      const a = pa / 8 + r * ld;
      for (let v = 0; v < b; v++) {
        const x = (px + v * stride) / 8;
        let s = 0;
        for (let c = 0; c < cols; c++) s += F[a + c] * F[x + c];
        F[(py + v * stride) / 8 + r] += s;
      }
    }
  };
  const symv = (b: number) => (pa: number, rows: number, cols: number, ld: number, pxJ: number, pyJ: number, pxI: number, pyI: number, stride: number): void => {
    for (let r = 0; r < rows; r++) {
      const a = pa / 4 + r * ld;
      for (let v = 0; v < b; v++) {
        const xJ = (pxJ + v * stride) / 8;
        const yJ = (pyJ + v * stride) / 8;
        const xi = F[(pxI + v * stride) / 8 + r];
        let s = 0;
        for (let c = 0; c < cols; c++) {
          const h = S[a + c];
          s += h * F[xJ + c];
          F[yJ + c] += h * xi;
        }
        F[(pyI + v * stride) / 8 + r] += s;
      }
    }
  };
  // Panel index of (column c, vector v) for b vectors: (c >> 2) 4b + 4v + (c & 3).
  const panel = (b: number) => (pa: number, rows: number, cols: number, ld: number, pxJ: number, pyJ: number, pxI: number, pyI: number, symmetric: boolean): void => {
    const xJ = pxJ / 4, sJ = pyJ / 4, xI = pxI / 4, yI = pyI / 8;
    for (let r = 0; r < rows; r++) {
      const a = pa / 4 + r * ld;
      const ri = (r >> 2) * 4 * b + (r & 3);
      for (let v = 0; v < b; v++) {
        const xr = S[xI + ri + 4 * v];
        let s = 0;
        for (let c = 0; c < cols; c++) {
          const k = (c >> 2) * 4 * b + 4 * v + (c & 3);
          s += S[a + c] * S[xJ + k];
          if (symmetric) S[sJ + k] += S[a + c] * xr;
        }
        F[yI + ri + 4 * v] += s;
      }
    }
  };
  const sym = (b: number): PanelProduct => (pa, rows, cols, ld, pxJ, pyJ, pxI, pyI) => panel(b)(pa, rows, cols, ld, pxJ, pyJ, pxI, pyI, true);
  const gen = (b: number): PanelProduct => (pa, rows, cols, ld, pxJ, pyJ, pxI, pyI) => panel(b)(pa, rows, cols, ld, pxJ, pyJ, pxI, pyI, false);
  return {
    panelSymvF32_1: sym(1),
    panelSymvF32_2: sym(2),
    panelSymvF32_4: sym(4),
    panelGemvF32_1: gen(1),
    panelGemvF32_2: gen(2),
    panelGemvF32_4: gen(4),
    panelFlushF32(p32, p64, count) {
      for (let k = 0; k < count; k++) {
        F[p64 / 8 + k] += S[p32 / 4 + k];
        S[p32 / 4 + k] = 0;
      }
    },
    gramTilesF64(pA, pB, groups, G, pOut0, pOut1) {
      const chunks = G / 64;
      for (let t = 0; t < groups; t++) {
        const gb = (pB + t * G) / 8;
        for (let col = 0; col < 4; col++) {
          for (let r = 0; r < 2; r++) {
            let s0 = 0, s1 = 0; // the wasm kernel's two lanes, summed last
            for (let k = 0; k < chunks; k++) {
              s0 += F[pA / 8 + 8 * k + 2 * r] * F[gb + 8 * k + 2 * col];
              s1 += F[pA / 8 + 8 * k + 2 * r + 1] * F[gb + 8 * k + 2 * col + 1];
            }
            F[(r === 0 ? pOut0 : pOut1) / 8 + 4 * t + col] = s0 + s1;
          }
        }
      }
    },
    arcCosRowF32(p, count, ni, pNorms, k2) {
      arcCosRowJs(S, F, p, count, ni, pNorms, k2);
    },
    arcCosRowI32(p, count, ni, pNorms, k2, si, pScales) {
      arcCosRowJs(S, F, p, count, ni, pNorms, k2, { I, si, pScales });
    },
    gramTilesI16(pA, pB, groups, G, pOut0, pOut1, pList, count) {
      for (let t = 0; t < groups; t++) {
        const gb = (pB + t * G) / 2;
        for (let col = 0; col < 4; col++) {
          for (let r = 0; r < 2; r++) {
            let s = 0; // exact: integers below 2^31 (the wasm kernel's int32 lanes hold the same sum)
            for (let e = 0; e < count; e++) {
              const k = I[pList / 4 + e] / 2; // the chunk's byte offset, in int16 units
              for (let l = 0; l < 8; l++) s += H[pA / 2 + k + 8 * r + l] * H[gb + k + 8 * col + l];
            }
            I[(r === 0 ? pOut0 : pOut1) / 4 + 4 * t + col] = s;
          }
        }
      }
    },
    gramTilesF32(pA, pB, groups, G, pOut0, pOut1) {
      const chunks = G / 64;
      for (let t = 0; t < groups; t++) {
        const gb = (pB + t * G) / 4;
        for (let col = 0; col < 4; col++) {
          for (let r = 0; r < 2; r++) {
            let s = 0;
            for (let k = 0; k < chunks; k++) {
              for (let l = 0; l < 4; l++) s += S[pA / 4 + 16 * k + 4 * r + l] * S[gb + 16 * k + 4 * col + l];
            }
            S[(r === 0 ? pOut0 : pOut1) / 4 + 4 * t + col] = s;
          }
        }
      }
    },
    dot(px, py, n) {
      const x = px / 8, y = py / 8;
      let s = 0;
      for (let i = 0; i < n; i++) s += F[x + i] * F[y + i];
      return s;
    },
    axpy(alpha, px, py, n) {
      const x = px / 8, y = py / 8;
      for (let i = 0; i < n; i++) F[y + i] += alpha * F[x + i];
    },
    symvRow(pa, pv, pp, vi, len) {
      const a = pa / 8, v = pv / 8, p = pp / 8;
      let s = 0;
      for (let j = 0; j < len; j++) {
        const aj = F[a + j];
        s += aj * F[v + j];
        F[p + j] += aj * vi;
      }
      return s;
    },
    syr2Row(pa, pv, pw, vi, wi, len) {
      const a = pa / 8, v = pv / 8, w = pw / 8;
      for (let j = 0; j < len; j++) F[a + j] -= vi * F[w + j] + wi * F[v + j];
    },
    syr2SymvRow(pa, pv, pw, vi, wi, pu, pp, ui, len) {
      const a = pa / 8, v = pv / 8, w = pw / 8, u = pu / 8, p = pp / 8;
      let s = 0;
      for (let j = 0; j < len; j++) {
        const aj = F[a + j] - (vi * F[w + j] + wi * F[v + j]);
        F[a + j] = aj;
        s += aj * F[u + j];
        F[p + j] += aj * ui;
      }
      return s;
    },
    rot(pa, pb, c, s, len) {
      const a = pa / 8, b = pb / 8;
      for (let j = 0; j < len; j++) {
        const x = F[a + j];
        const y = F[b + j];
        F[a + j] = c * x - s * y;
        F[b + j] = s * x + c * y;
      }
    },
    gemvF32_1: gemv(1),
    gemvF32_2: gemv(2),
    gemvF32_4: gemv(4),
    symvF32_1: symv(1),
    symvF32_2: symv(2),
    symvF32_4: symv(4),
    gemvF64_1: gemv64(1),
    gemvF64_2: gemv64(2),
    gemvF64_4: gemv64(4),
  };
}
