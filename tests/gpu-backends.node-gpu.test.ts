// node-gpu on this machine's adapter (a software one on CI): model and regularizer conformance, the
// student's GD step, the structured NTK Gram and a 50-step distillation against cpu.
import { describe } from 'vitest';
import { describeGpuBackendSuites } from '../tools/vitest/cpu-agreement.js';
import { nodeGpuUnderTest } from '../tools/vitest/node-gpu-under-test.js';

const gpu = await nodeGpuUnderTest();

describe.skipIf(gpu.skipReason !== undefined)('node-gpu', () => {
  describeGpuBackendSuites('node-gpu', 'webgpu', () => gpu.adapter.activate());
});
