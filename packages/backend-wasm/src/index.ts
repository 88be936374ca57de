export { createWasmBackend } from './wasm-backend.js';
export type { WasmBackendOptions } from './wasm-backend.js';
