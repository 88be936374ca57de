// Swapping the backend: the same run (seed, data, model, terms) on tfjs's cpu backend (plain JS,
// the reference) and on wasm (SIMD, pikt's default), and the numbers they give. Both are float32;
// they differ only in summation order, so the final outputs agree to TOLERANCE relative to their
// scale (measured ~2e-6 on these machines).
import { createCpuBackend } from '@pikt/backend-cpu';
import { createWasmBackend } from '@pikt/backend-wasm';
import { datasetFromArrays, type BackendAdapterV1 } from '@pikt/core';
import { teacherStudent } from '@pikt/datasets';
import { createWideStudent } from '@pikt/models';
import { labelFit, quadraticPi } from '@pikt/regularizers';
import { train } from '@pikt/trainer';
import { check, relativeGap } from './check.js';

const TOLERANCE = 1e-4;
const task = teacherStudent({ d: 6, n: 32, nTest: 8, seed: 3 });
const z = task.train.targets.map((y, i) => y * (0.5 + (i % 4) / 4)); // a stand-in teacher
const data = datasetFromArrays({ inputDim: 6, outputDim: 1, train: { x: task.train.x, targets: task.train.targets, teacherLogits: z } });

async function runOn(adapter: BackendAdapterV1): Promise<{ outputs: number[]; loss: number; backend: string }> {
  const active = await adapter.activate();
  const model = createWideStudent({ width: 2048 });
  const r = await train({
    model, data, terms: [{ name: 'label', regularizer: labelFit() }, { name: 'pi', regularizer: quadraticPi({ lambda: 1 }) }],
    settings: { seed: 7, optimizer: { kind: 'gd', lr: 0.2 }, steps: 50, recordOutputsAt: [50] },
  });
  model.dispose?.(r.params);
  return { outputs: r.evals.at(-1)?.outputs ?? [], loss: r.finalLoss, backend: active.features.device ?? active.id };
}

const cpu = await runOn(createCpuBackend());
const wasm = await runOn(createWasmBackend());
console.log(`cpu  (${cpu.backend}): final loss ${cpu.loss.toPrecision(8)}, u_0..2 = ${cpu.outputs.slice(0, 3).map((v) => v.toFixed(6)).join(', ')}`);
console.log(`wasm (${wasm.backend}): final loss ${wasm.loss.toPrecision(8)}, u_0..2 = ${wasm.outputs.slice(0, 3).map((v) => v.toFixed(6)).join(', ')}`);
check('outputs recorded on both backends (missing count)', Math.abs(cpu.outputs.length - 32) + Math.abs(wasm.outputs.length - 32), 0);
check('max |u_wasm - u_cpu| / max |u_cpu|', relativeGap(wasm.outputs, cpu.outputs), TOLERANCE);
check('|loss_wasm - loss_cpu| / loss_cpu', Math.abs(wasm.loss - cpu.loss) / cpu.loss, TOLERANCE);
