// Issue 15: the trainer hands each step's own activation patterns (the wide student's kept masks of
// update k + 1's forward pass, i.e. the patterns of W(k)) to a kernel drift tracker. The drift it
// reports at step k must equal the tracker's drift from the weights W(k) (the same integer popcounts)
// and an independent float64 drift, with no tensor left behind. Runs once per backend (cpu, wasm).
import * as tf from '@tensorflow/tfjs-core';
import { createRng, datasetFromArrays, type ModelV1, type StepEndEvent } from '@pikt/core';
import { createMlpTeacher, createWideStudent } from '@pikt/models';
import { createKernelDriftTracker, kernelDrift, structuredNtk, type KernelDriftTracker } from '@pikt/ntk';
import { labelFit } from '@pikt/regularizers';
import { expectNoTensorLeak } from '@pikt/testkit';
import { createMemoryCheckpointStore, createMemoryReporter, initialParams, train, type TrainOptions } from '@pikt/trainer';
import { describe, expect, it } from 'vitest';

const n = 48, d = 8, m = 256, steps = 20, seed = 7;
const quiet = { inputDim: d, onWarning: () => undefined };
const rng = createRng('drift-training');
const x = rng.child('x').fillNormal(new Float32Array(n * d));
for (let i = 0; i < n; i++) {
  const norm = Math.hypot(...x.subarray(i * d, (i + 1) * d));
  for (let k = 0; k < d; k++) x[i * d + k] /= norm;
}
const y = rng.child('y').fillNormal(new Float32Array(n));
const data = datasetFromArrays({ inputDim: d, outputDim: 1, train: { x, targets: y } });
// Blocks of 64 neurons: the masks come in 4 neuron-major blocks, two per symmetric half.
const student = () => createWideStudent({ width: m, kappa: 1, blockSize: 64 });
const settings = { seed, optimizer: { kind: 'gd' as const, lr: 0.1 }, steps };

/** Independent float64 H(W) = (X X^T) .* (S S^T) / m, S = 1{X W^T > 0}, from float32 x and W. */
function referenceGram(w: Float32Array): Float64Array {
  const s = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let k = 0; k < d; k++) z += x[i * d + k] * w[r * d + k];
      s[i * m + r] = z > 0 ? 1 : 0;
    }
  }
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let g = 0, c = 0;
      for (let k = 0; k < d; k++) g += x[i * d + k] * x[j * d + k];
      for (let r = 0; r < m; r++) c += s[i * m + r] & s[j * m + r];
      h[i * n + j] = (g * c) / m;
    }
  }
  return h;
}

/** W(0) of the run (the same draw as the trainer's) and a tracker for it. */
async function trackerFor(model: ModelV1): Promise<{ tracker: KernelDriftTracker; w0: Float32Array }> {
  const p = initialParams(model, seed, { inputDim: d, outputDim: 1 });
  const w0 = Float32Array.from(await p.W.data());
  tf.dispose(Object.values(p));
  return { tracker: await createKernelDriftTracker(x, w0, quiet), w0 };
}

/** A run tracking the drift, with W(k) of every step kept (float32 copies) and its step-end events. */
async function runWithDrift(extra: Partial<Pick<TrainOptions, 'kernelDrift' | 'readEvery' | 'checkpoints'>> = {}) {
  const model = student();
  const { tracker, w0 } = await trackerFor(model);
  const weights: Float32Array[] = [];
  const reporter = createMemoryReporter();
  const r = await train({
    model, terms: [labelFit()], data, settings, reporters: [reporter], kernelDrift: { tracker }, ...extra,
    onUpdate: (k, p) => { weights[k] = p.W.dataSync() as Float32Array; },
  });
  model.dispose?.(r.params);
  const stepEnds = reporter.events.filter((e): e is StepEndEvent => e.type === 'step-end');
  return { r, tracker, w0, weights, stepEnds };
}


describe('kernel drift tracked inside training (wide student, full-batch GD)', () => {
  it('drift(k) from the step\'s own masks = tracker.fromWeights(W(k)) (1e-12) = the float64 reference, at every step', async () => {
    const { r, tracker, w0, weights, stepEnds } = await runWithDrift();
    expect(r.kernelDrift?.map((e) => e.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(stepEnds.map((e) => e.kernelDrift)).toEqual(r.kernelDrift?.map((e) => e.drift));
    expect(r.history.map((h) => h.kernelDrift)).toEqual(r.kernelDrift?.map((e) => e.drift));
    const h0 = referenceGram(w0);
    const h0Tfjs = structuredNtk(x, null, w0, quiet).data;
    for (const { step, drift } of r.kernelDrift ?? []) {
      const fromWeights = await tracker.fromWeights(weights[step]);
      expect(Math.abs(drift - fromWeights)).toBeLessThan(1e-12);
      expect(Math.abs(drift - kernelDrift(h0, referenceGram(weights[step])))).toBeLessThan(1e-9);
      expect(Math.abs(drift - kernelDrift(h0Tfjs, structuredNtk(x, null, weights[step], quiet).data))).toBeLessThan(1e-9);
    }
    // The run moved the kernel: the drift grows from 0 and is not trivially zero.
    const last = r.kernelDrift?.[steps - 1].drift ?? 0;
    expect(last).toBeGreaterThan(1e-3);
  });

  it('the same drifts at chosen steps, with checkpoints between, reads every 3 steps and an abort', async () => {
    const all = await runWithDrift();
    const byStep = new Map(all.r.kernelDrift?.map((e) => [e.step, e.drift]));
    const some = await runWithDrift({ kernelDrift: undefined, readEvery: 3, checkpoints: createMemoryCheckpointStore() });
    expect(some.r.kernelDrift).toBeUndefined();
    const model = student();
    const { tracker } = await trackerFor(model);
    const at = [1, 5, 6, 7, 14, 20];
    const r = await train({
      model, terms: [labelFit()], data, readEvery: 3, checkpoints: createMemoryCheckpointStore(), kernelDrift: { tracker, at },
      settings: { ...settings, checkpointEvery: 7 },
    });
    model.dispose?.(r.params);
    expect(r.kernelDrift).toEqual(at.map((k) => ({ step: k, drift: byStep.get(k) })));
    // Aborted after step 9 is read: its drift comes from a forward pass of its own.
    const controller = new AbortController();
    const stop = { specificationVersion: 'v1' as const, id: 'stop', onEvent: (e: { type: string; step?: number }) => { if (e.type === 'step-end' && e.step === 8) controller.abort(); } };
    const model2 = student();
    const aborted = await train({ model: model2, terms: [labelFit()], data, readEvery: 1, signal: controller.signal, reporters: [stop], kernelDrift: { tracker, at: 'every' }, settings });
    model2.dispose?.(aborted.params);
    expect(aborted.status).toBe('aborted');
    expect(aborted.kernelDrift).toEqual(Array.from({ length: aborted.steps }, (_, i) => ({ step: i + 1, drift: byStep.get(i + 1) })));
  });

  it('leaves no tensor behind: 20 tracked steps, checkpoints, an abort and a failing tracker', async () => {
    const model = student();
    const { tracker } = await trackerFor(model);
    await expectNoTensorLeak(async () => {
      const r = await train({ model, terms: [labelFit()], data, checkpoints: createMemoryCheckpointStore(), kernelDrift: { tracker }, settings: { ...settings, checkpointEvery: 6 } });
      model.dispose?.(r.params);
      const a = await train({ model, terms: [labelFit()], data, signal: AbortSignal.abort(), kernelDrift: { tracker }, settings });
      model.dispose?.(a.params);
      const failing = { rows: n, neurons: m, fromTensorBlocks: async () => { throw new Error('tracker failed'); } };
      await expect(train({ model, terms: [labelFit()], data, kernelDrift: { tracker: failing, at: [4] }, settings })).rejects.toThrow('tracker failed');
    }, 'training with the kernel drift tracked');
  });

  it('refuses what cannot work, before any step, with the reason', async () => {
    const { tracker } = await trackerFor(student());
    const run = (model: ModelV1, extra: Partial<TrainOptions> = {}, s: Record<string, unknown> = {}) =>
      train({ model, terms: [labelFit()], data, kernelDrift: { tracker }, ...extra, settings: { ...settings, ...s } as TrainOptions['settings'] });
    await expect(run(createMlpTeacher({ width: 4 }))).rejects.toThrow('kernelDrift cannot be tracked: model "mlp-teacher" does not hand out its activation patterns (no activationPatterns/applyWithVjp).');
    await expect(run(createWideStudent({ width: m, trainLayers: 'both' }))).rejects.toThrow(
      "kernelDrift cannot be tracked: model \"wide-student\": trainLayers is 'both': the masks are kept only when the first layer alone is trained.");
    await expect(run(student(), {}, { optimizer: { kind: 'sgd', lr: 0.1 }, batchSize: 16 })).rejects.toMatchObject({ code: 'PIKT_KERNEL_DRIFT_MINI_BATCH' });
    await expect(run(student(), {}, { workers: 2 })).rejects.toMatchObject({ code: 'PIKT_KERNEL_DRIFT_WORKERS' });
    const fewer = await createKernelDriftTracker(x.subarray(0, 40 * d), (await trackerFor(student())).w0, quiet);
    await expect(run(student(), { kernelDrift: { tracker: fewer } })).rejects.toThrow('Shape mismatch in kernelDrift.tracker rows (the training points): expected [48], found [40].');
    await expect(run(createWideStudent({ width: 2 * m }))).rejects.toThrow('Shape mismatch in kernelDrift.tracker neurons (the width of model "wide-student"): expected [512], found [256].');
    await expect(run(student(), { kernelDrift: { tracker, at: [0] } })).rejects.toThrow('"kernelDrift.at[0]": got 0. Expected a step in 1..20 (drift(0) = 0 by definition).');
  });
});
