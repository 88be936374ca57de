// The node-gpu adapter shared by one test file, or the reason it cannot run here. Outside CI a
// missing adapter skips the file's suites with the probe's reason printed; in CI (CI=true, where
// tools/setup.sh installs libvulkan1 and chromium's SwiftShader ICD) it fails instead.
import { createNodeGpuBackend, type NodeGpuBackendAdapter } from '@pikt/backend-node-gpu';
import { afterAll } from 'vitest';

export interface NodeGpuUnderTest {
  adapter: NodeGpuBackendAdapter;
  /** Undefined when the adapter can run; else the probe's reason. */
  skipReason?: string;
}

export async function nodeGpuUnderTest(): Promise<NodeGpuUnderTest> {
  // engine webgpu: these suites test the Dawn path (tfjs-node-gpu cannot be installed here).
  const adapter = createNodeGpuBackend({ engine: 'webgpu' });
  const probe = await adapter.probe();
  afterAll(async () => { await adapter.dispose(); });
  if (probe.supported) return { adapter };
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`node-gpu: no adapter in CI, where tools/setup.sh should provide one: ${probe.reason}`);
  }
  console.warn(`node-gpu suites skipped: ${probe.reason}`);
  return { adapter, skipReason: probe.reason };
}
