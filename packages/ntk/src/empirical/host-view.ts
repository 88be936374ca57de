import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm 4.22's BackendWasm a heap view needs (checked at run time, not imported). */
interface WasmBackendParts {
  dataIdMap?: { has(id: object): boolean; get(id: object): { memoryOffset?: unknown } | undefined };
  wasm?: { HEAPU8?: unknown };
}

/**
 * The values of a float32 tensor of the wasm backend as a Float32Array view of the backend's own
 * heap: no copy. `await t.data()` on wasm copies them out (HEAPU8.slice), and for the wide
 * student's masks (4 n m bytes a step: 65 MB at n = 2000, m = 8192) that copy and its fresh pages
 * cost about as much as packing them. Undefined on any other backend or dtype, or when the
 * backend does not look like tfjs-backend-wasm 4.22's (callers then read with data()).
 *
 * The view is valid only until the next tfjs operation (one may grow the heap, which detaches the
 * buffer) or the tensor's disposal: read it synchronously, right away, and never write to it.
 */
export function wasmHeapView(t: tf.Tensor): Float32Array | undefined {
  if (t.dtype !== 'float32' || tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as WasmBackendParts;
  const heap = b.wasm?.HEAPU8;
  if (!(heap instanceof Uint8Array) || typeof b.dataIdMap?.has !== 'function' || !b.dataIdMap.has(t.dataId)) return undefined;
  const offset = b.dataIdMap.get(t.dataId)?.memoryOffset;
  if (typeof offset !== 'number' || offset % 4 !== 0 || offset + 4 * t.size > heap.byteLength) return undefined;
  return new Float32Array(heap.buffer, heap.byteOffset + offset, t.size);
}
