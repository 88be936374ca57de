// Prints one line per test run naming the adapter the node-gpu suites use (or why there is none).
import { createNodeGpuBackend, describeAdapter, type AdapterReport } from '@pikt/backend-node-gpu';

export default async function setup(): Promise<void> {
  const adapter = createNodeGpuBackend({ engine: 'webgpu' });
  const probe = await adapter.probe();
  if (probe.supported) {
    const report = probe.features.adapter as AdapterReport;
    console.log(`node-gpu adapter: ${describeAdapter(report)} (${report.kind})`);
  } else {
    console.log(`node-gpu adapter: none (${probe.reason})`);
  }
  await adapter.dispose();
}
