/** Relative/absolute tolerances for comparing float32 backends against a float64 reference. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/**
 * Default tolerance per tfjs backend. cpu and wasm compute in float32 (unit roundoff 6e-8; sums of
 * a few hundred terms stay near 1e-6 relative); webgl may run in float16 on some GPUs.
 */
export const BACKEND_TOLERANCE: Record<string, Tolerance> = {
  cpu: { rtol: 1e-5, atol: 1e-6 },
  wasm: { rtol: 1e-5, atol: 1e-6 },
  webgpu: { rtol: 1e-4, atol: 1e-5 },
  'node-gpu': { rtol: 1e-4, atol: 1e-5 },
  webgl: { rtol: 1e-3, atol: 1e-4 },
};

export function toleranceFor(backend: string): Tolerance {
  return BACKEND_TOLERANCE[backend] ?? { rtol: 1e-3, atol: 1e-4 };
}
