// webgl in headless Chromium (SwiftShader WebGL2 on CI): model and regularizer conformance, the
// student's GD step, the structured NTK Gram and a 50-step distillation against cpu.
import { createWebglBackend } from '@pikt/backend-webgl';
import { describeGpuBackendSuites } from '../tools/vitest/cpu-agreement.js';

const adapter = createWebglBackend();
describeGpuBackendSuites('webgl', 'webgl', () => adapter.activate());
