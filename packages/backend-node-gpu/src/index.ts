export { createNodeGpuBackend, WEBGPU_PACKAGE, WEBGPU_VERSION } from './node-gpu-backend.js';
export type { NodeGpuBackendAdapter, NodeGpuBackendOptions } from './node-gpu-backend.js';
export { adapterKind, dawnAttempts, describeAdapter, hasVulkanLoader, isNullAdapter, SWIFTSHADER_ICD } from './dawn-adapter.js';
export type { AdapterReport, DawnAttempt } from './dawn-adapter.js';
export { detectTfjsNodeGpu, TFJS_NODE_GPU, TFJS_NODE_BACKEND } from './tfjs-node-gpu.js';
export type { TfjsNodeGpuStatus } from './tfjs-node-gpu.js';
export type { ModuleImporter } from './module-loader.js';
