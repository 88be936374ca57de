/** Which float64 kernels run, and why when it is the plain-JS fallback. */
export type LinalgKernels = { kind: 'wasm-simd'; reason?: undefined } | { kind: 'js'; reason: string };

/** What the process environment says about the kernels (PIKT_LINALG_KERNELS=js forces JS). */
export interface KernelEnv {
  forceJs?: string;
}

/**
 * A minimal module whose only function returns `v128.const 0`: it validates exactly where the
 * runtime implements WebAssembly SIMD. Written out by hand (not by our assembler) so that a bug in
 * the assembler cannot pass for a runtime without SIMD.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b, // code: v128.const 0; end
]);

/** True where the runtime implements WebAssembly SIMD (v128). */
export function runtimeHasSimd(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

export function runtimeEnv(): KernelEnv {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  const env = g.process?.env;
  // PIKT_NTK_KERNELS is the name the switch had while the kernels lived in @pikt/ntk.
  const forced = env?.PIKT_LINALG_KERNELS ?? env?.PIKT_NTK_KERNELS;
  return forced === 'js' ? { forceJs: env?.PIKT_LINALG_KERNELS === 'js' ? 'PIKT_LINALG_KERNELS=js' : 'PIKT_NTK_KERNELS=js' } : {};
}

/**
 * Compile the kernel module `build()` returns, or say why the JS kernels run instead. Only a
 * failure on a runtime that has SIMD is a defect (of the kernels or the assembler); that case
 * carries a `warning` to announce, the expected ones (forced, no SIMD) only a reason.
 */
export function selectKernelModule(build: () => Uint8Array<ArrayBuffer>, env: KernelEnv): { module: WebAssembly.Module | null; info: LinalgKernels; warning?: string } {
  if (env.forceJs) return { module: null, info: { kind: 'js', reason: `forced by ${env.forceJs}` } };
  if (typeof WebAssembly !== 'object') return { module: null, info: { kind: 'js', reason: 'this runtime has no WebAssembly' } };
  if (!runtimeHasSimd()) return { module: null, info: { kind: 'js', reason: 'this runtime has no WebAssembly SIMD (v128)' } };
  let reason: string;
  try {
    const bytes = build();
    if (WebAssembly.validate(bytes)) return { module: new WebAssembly.Module(bytes), info: { kind: 'wasm-simd' } };
    reason = 'the kernel module failed WebAssembly validation';
  } catch (e) {
    reason = `the kernel module failed to build: ${e instanceof Error ? e.message : String(e)}`;
  }
  const warning = `@pikt/linalg: ${reason}, although this runtime supports WebAssembly SIMD; the float64 analysis falls back to `
    + 'the plain-JS kernels (same numbers, several times slower). Please report this with your runtime version.';
  return { module: null, info: { kind: 'js', reason }, warning };
}

/** Say it where Node users see warnings (stderr, `process.on('warning')`), or on the console elsewhere. */
export function announceFallback(message: string): void {
  const g = globalThis as { process?: { emitWarning?: (m: string, o: { code: string }) => void } };
  if (typeof g.process?.emitWarning === 'function') g.process.emitWarning(message, { code: 'PIKT_LINALG_JS_FALLBACK' });
  else console.warn(message);
}
