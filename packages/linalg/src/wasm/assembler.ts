/**
 * A minimal WebAssembly binary writer: just enough of the format (core spec section 5, plus the
 * fixed-width SIMD proposal's 0xFD opcodes) to emit the package's few numeric kernels without a
 * compiler toolchain. Kernels are written with `Code`, a stack-machine instruction builder.
 */
export type ValType = 'i32' | 'f64' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** Instruction builder; every method appends and returns `this` for chaining. */
export class Code {
  readonly bytes: number[] = [];
  private op(...b: number[]): this { this.bytes.push(...b); return this; }
  private simd(op: number, ...imm: number[]): this { return this.op(0xfd, ...uleb(op), ...imm); }
  // control
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if(): this { return this.op(0x04, 0x40); }
  else(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { return this.op(0x0c, ...uleb(depth)); }
  brIf(depth: number): this { return this.op(0x0d, ...uleb(depth)); }
  // locals
  get(i: number): this { return this.op(0x20, ...uleb(i)); }
  set(i: number): this { return this.op(0x21, ...uleb(i)); }
  tee(i: number): this { return this.op(0x22, ...uleb(i)); }
  // i32
  i32(v: number): this { return this.op(0x41, ...sleb(v)); }
  add(): this { return this.op(0x6a); }
  sub(): this { return this.op(0x6b); }
  mul(): this { return this.op(0x6c); }
  and(): this { return this.op(0x71); }
  shl(): this { return this.op(0x74); }
  ltU(): this { return this.op(0x49); }
  geU(): this { return this.op(0x4f); }
  ne(): this { return this.op(0x47); }
  eqz(): this { return this.op(0x45); }
  /** select: the first operand when the i32 condition on top is non-zero, else the second. */
  select(): this { return this.op(0x1b); }
  // scalar f64 / f32 (memarg: alignment log2, offset)
  f64Const(v: number): this {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    return this.op(0x44, ...b);
  }
  f64Load(offset = 0): this { return this.op(0x2b, 3, ...uleb(offset)); }
  i32Load(offset = 0): this { return this.op(0x28, 2, ...uleb(offset)); }
  f64Store(offset = 0): this { return this.op(0x39, 3, ...uleb(offset)); }
  f32Load(offset = 0): this { return this.op(0x2a, 2, ...uleb(offset)); }
  f64PromoteF32(): this { return this.op(0xbb); }
  f32Store(offset = 0): this { return this.op(0x38, 2, ...uleb(offset)); }
  f64Add(): this { return this.op(0xa0); }
  f64Sub(): this { return this.op(0xa1); }
  f64Mul(): this { return this.op(0xa2); }
  f64Ne(): this { return this.op(0x62); }
  // SIMD
  v128Load(offset = 0): this { return this.simd(0x00, 4, ...uleb(offset)); }
  v128Store(offset = 0): this { return this.simd(0x0b, 4, ...uleb(offset)); }
  v128Load64Zero(offset = 0): this { return this.simd(0x5d, 3, ...uleb(offset)); }
  /** v128.load32_splat: one float32 (or i32) from memory into all four lanes. */
  v128Load32Splat(offset = 0): this { return this.simd(0x09, 2, ...uleb(offset)); }
  f64x2Splat(): this { return this.simd(0x14); }
  f64x2Lane(lane: 0 | 1): this { return this.simd(0x21, lane); }
  f64x2PromoteLow(): this { return this.simd(0x5f); }
  f64x2Add(): this { return this.simd(0xf0); }
  f64x2Sub(): this { return this.simd(0xf1); }
  f64x2Mul(): this { return this.simd(0xf2); }
  f64x2Div(): this { return this.simd(0xf3); }
  f64x2Min(): this { return this.simd(0xf4); }
  f64x2Max(): this { return this.simd(0xf5); }
  f64x2Abs(): this { return this.simd(0xec); }
  f64x2Sqrt(): this { return this.simd(0xef); }
  f64x2Lt(): this { return this.simd(0x49); }
  /** v128.bitselect(v1, v2, mask): bits of v1 where mask is 1, else of v2. */
  v128Bitselect(): this { return this.simd(0x52); }
  f32x4DemoteF64x2Zero(): this { return this.simd(0x5e); }
  /** v128.store64_lane: lane `lane` (0 or 1) of the 64-bit lanes to memory. */
  v128Store64Lane(lane: 0 | 1, offset = 0): this { return this.simd(0x5b, 3, ...uleb(offset), lane); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f32x4Splat(): this { return this.simd(0x13); }
  /** i32x4.dot_i16x8_s: lane k = a_2k b_2k + a_2k+1 b_2k+1 (int16 products summed in int32). */
  i32x4DotI16x8S(): this { return this.simd(0xba); }
  i32x4Add(): this { return this.simd(0xae); }
  /** f64x2.convert_low_i32x4_s: the low two int32 lanes as float64 (exact). */
  f64x2ConvertLowI32x4S(): this { return this.simd(0xfe); }
  /** i8x16.shuffle of the two operands by 16 byte indices (0-15 first operand, 16-31 second). */
  shuffle(lanes: number[]): this { return this.simd(0x0d, ...lanes); }
  /** Shuffle by float32 lanes (0-3 first operand, 4-7 second). */
  shuffle32(l: [number, number, number, number]): this { return this.shuffle(l.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3])); }
  /** Append raw instruction bytes (e.g. a shared snippet). */
  raw(other: Code): this { return this.op(...other.bytes); }
}

export interface FuncDef {
  name: string;
  params: ValType[];
  results: ValType[];
  /** Extra locals, after the parameters (indices continue from params.length). */
  locals: ValType[];
  body: Code;
}

/** A module importing `env.memory` (optionally shared) and exporting every function by name. */
export function assembleModule(funcs: FuncDef[], memory: { shared: boolean } = { shared: false }): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((p) => [VALTYPE[p]])), ...vec(f.results.map((r) => [VALTYPE[r]]))]);
  // Limits: unshared memories need no maximum; shared ones must declare one (65536 pages = 4 GiB).
  const limits = memory.shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const funcIdx = vec(funcs.map((_, i) => uleb(i)));
  const exports = vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const codes = funcs.map((f) => {
    const locals = vec(f.locals.map((t) => [...uleb(1), VALTYPE[t]]));
    const body = [...locals, ...f.body.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, funcIdx),
    ...section(7, exports),
    ...section(10, vec(codes)),
  ];
  return new Uint8Array(bytes);
}
