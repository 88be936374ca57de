/** What a backend reports about itself once probed. */
export interface BackendFeatures {
  /** WebAssembly SIMD in use (wasm backend). */
  simd?: boolean;
  /** Multi-threaded kernels in use (wasm backend). */
  threads?: boolean;
  /** Float32 precision of the backend's kernels (webgl may be 16-bit). */
  floatPrecision: 16 | 32;
  /** Human-readable device description (GPU adapter name, "JS", "WebAssembly"). */
  device?: string;
  [key: string]: unknown;
}

export type ProbeResult =
  | { supported: true; features: BackendFeatures }
  | { supported: false; reason: string };

/** A backend that has been activated: the tfjs global backend is now `name`. */
export interface ActiveBackend {
  readonly id: string;
  /** tfjs backend name passed to `tf.setBackend`. */
  readonly tfBackendName: string;
  readonly features: BackendFeatures;
}

/**
 * Backend adapter contract, version 1. Importing an adapter must not register anything with tfjs:
 * registration happens inside `activate()`, which is idempotent.
 */
export interface BackendAdapterV1 {
  readonly specificationVersion: 'v1';
  readonly id: string;
  /** Higher wins when candidates are sorted by preference. */
  readonly priority: number;
  /** Says whether the backend can run here and, if not, why (never throws). */
  probe(): Promise<ProbeResult>;
  /** Register (once) and make this the active tfjs backend. */
  activate(): Promise<ActiveBackend>;
}
