// gpu-check: on a lent NVIDIA machine, assert a hardware WebGPU adapter (Dawn on Vulkan), run the
// node-gpu conformance checks, and time node-gpu beside wasm on the same machine. Built into one
// self-contained bundle by tools/gpu-check/build.mjs; see tools/gpu-check/README.md.
//
//   node gpu-check.mjs [--software-ok] [--small] [--no-checks] [--json-out FILE] [--wasm-dir DIR]
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeGpuBackend, describeAdapter, type AdapterReport } from '@pikt/backend-node-gpu';
import { createWasmBackend } from '@pikt/backend-wasm';
import { benchTask, gdStepMs, gramMs, matmulGflops, median } from '../../../apps/cli/src/commands/bench-measure.js';
import { distill50 } from './agreement.js';
import { runChecks } from './checks.js';

/** Sizes of the timed table (the issue's) and of `--small` (a software adapter on 2 cores). */
export const SIZES = {
  full: { matmul: [1024, 4096], gd: { n: 2000, d: 784, m: 8192 }, distill: { n: 1000, d: 64, m: 8192, steps: 1000 }, repeats: 3 },
  small: { matmul: [128, 256], gd: { n: 64, d: 16, m: 256 }, distill: { n: 32, d: 8, m: 256, steps: 10 }, repeats: 2 },
} as const;

export interface GpuCheckOptions { softwareOk: boolean; small: boolean; noChecks?: boolean; jsonOut?: string; wasmDir?: string; log?: (line: string) => void }

interface Row { what: string; unit: string; nodeGpu: number; wasm: number }

export async function gpuCheck(o: GpuCheckOptions): Promise<{ ok: boolean; adapter?: AdapterReport; checks: unknown[]; table: Row[]; reason?: string }> {
  const log = o.log ?? ((line: string) => console.log(line));
  const sizes = o.small ? SIZES.small : SIZES.full;
  const gpu = createNodeGpuBackend({ engine: 'webgpu', requireHardware: !o.softwareOk });
  const wasm = createWasmBackend(o.wasmDir ? { wasmPaths: o.wasmDir } : {});
  try {
    const probe = await gpu.probe();
    if (!probe.supported) {
      log(`gpu-check: FAIL no ${o.softwareOk ? '' : 'hardware '}adapter: ${probe.reason}`);
      return { ok: false, checks: [], table: [], reason: probe.reason };
    }
    const adapter = probe.features.adapter as AdapterReport;
    log(`node-gpu adapter: ${describeAdapter(adapter)} (${adapter.kind})`);
    // --no-checks: the table alone (the repo's node-gpu suites run the same checks in CI).
    const checks = o.noChecks ? [] : await runChecks(() => gpu.activate(), (r) => log(`check ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail}`));
    const table: Row[] = [];
    const both = async (what: string, unit: string, fn: () => Promise<number>) => {
      await gpu.activate();
      const g = await fn();
      await wasm.activate();
      const w = await fn();
      const row = { what, unit, nodeGpu: g, wasm: w };
      table.push(row);
      log(`${what.padEnd(52)} ${fmt(g).padStart(10)} ${fmt(w).padStart(10)}  ${unit}`);
    };
    log(`${'measure'.padEnd(52)} ${'node-gpu'.padStart(10)} ${'wasm'.padStart(10)}`);
    for (const s of sizes.matmul) await both(`matmul ${s}x${s}x${s}`, 'GFLOP/s', async () => (await matmulGflops(s, sizes.repeats)).gflops);
    const { n, d, m } = sizes.gd;
    const task = benchTask(n, d);
    await both(`one GD step, n=${n} d=${d} m=${m}`, 'ms', async () => median(await gdStepMs(task, n, d, m, sizes.repeats)));
    await both(`one empirical Gram of that student (n=${n})`, 'ms', async () => median(await gramMs(task, d, m, 1)));
    const ds = sizes.distill;
    await both(`${ds.steps}-step distillation, n=${ds.n} d=${ds.d} m=${ds.m}`, 's', async () => {
      const start = performance.now();
      await distill50(ds.n, ds.d, ds.m, ds.steps);
      return (performance.now() - start) / 1000;
    });
    const ok = checks.every((c) => c.ok) && (o.softwareOk || adapter.kind === 'hardware');
    log(`gpu-check: ${ok ? 'PASS' : 'FAIL'} (${checks.filter((c) => c.ok).length}/${checks.length} checks)`);
    const out = { ok, adapter, checks, table };
    if (o.jsonOut) writeFileSync(o.jsonOut, `${JSON.stringify(out, null, 2)}\n`);
    return out;
  } finally {
    await gpu.dispose();
  }
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));

function parse(argv: string[]): GpuCheckOptions {
  const o: GpuCheckOptions = { softwareOk: false, small: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--software-ok') o.softwareOk = true;
    else if (a === '--small') o.small = true;
    else if (a === '--no-checks') o.noChecks = true;
    else if (a === '--json-out') o.jsonOut = argv[++i];
    else if (a === '--wasm-dir') o.wasmDir = argv[++i];
    else throw new Error(`gpu-check: unknown argument ${a} (takes --software-ok, --small, --no-checks, --json-out FILE, --wasm-dir DIR)`);
  }
  return o;
}

// Run when executed (the bundle), not when imported (the test).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const o = parse(process.argv.slice(2));
  // The bundle ships the .wasm files beside itself in wasm/.
  o.wasmDir ??= `${join(dirname(fileURLToPath(import.meta.url)), 'wasm')}/`;
  const r = await gpuCheck(o);
  process.exitCode = r.ok ? 0 : 1;
}
