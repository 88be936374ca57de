// tfjs-backend-webgl in Debian's headless Chromium (vitest browser mode): the probe, the main thread
// and a Web Worker, the conformance suites and the agreement checks against cpu.
import * as tf from '@tensorflow/tfjs-core';
import { createWideStudent } from '@pikt/models';
import { hintonKl, labelFit, quadraticPi } from '@pikt/regularizers';
import { describeBackendConformance, describeModelConformance, describeRegularizerConformance } from '@pikt/testkit';
import type { Rng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { describeCpuAgreement } from '../../../tools/vitest/cpu-agreement.js';
import { createWebglBackend } from './webgl-backend.js';

const adapter = createWebglBackend();
const activate = () => adapter.activate();

describe('webgl probe in Chromium', () => {
  it('finds WebGL2 with float32 render targets, names the renderer and enables software WebGL for SwiftShader', async () => {
    const probe = await adapter.probe();
    expect(probe.supported, probe.supported ? '' : probe.reason).toBe(true);
    if (!probe.supported) return;
    const f = probe.features;
    console.log(`webgl renderer: ${f.renderer} (WebGL${f.webglVersion}, software ${f.software}, float32 textures ${f.float32Textures})`);
    expect(f.webglVersion).toBe(2);
    expect(f.float32Textures).toBe(true);
    expect(f.floatPrecision).toBe(32);
    expect(typeof f.renderer).toBe('string');
    expect(f.context).toBe('document');
    const active = await activate();
    expect(tf.getBackend()).toBe('webgl');
    // SwiftShader (no GPU on CI machines) is software: tfjs would refuse it without the flag.
    expect(active.features.softwareWebglEnabled).toBe(f.software);
    expect(tf.env().getBool('SOFTWARE_WEBGL_ENABLED')).toBe(f.software);
  });

  it('refuses a software renderer when allowSoftware is false', async () => {
    const probe = await adapter.probe();
    if (!probe.supported || !probe.features.software) return; // a hardware GPU: nothing to refuse
    const strict = await createWebglBackend({ allowSoftware: false }).probe();
    expect(strict).toEqual({ supported: false, reason: `only a software WebGL renderer (${probe.features.renderer}) is available and allowSoftware is false` });
  });

  it('runs in a Web Worker on an OffscreenCanvas', async () => {
    const worker = new Worker(new URL('./webgl-worker.ts', import.meta.url), { type: 'module' });
    const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data as Record<string, unknown>);
      worker.onerror = (e) => reject(new Error(e.message));
      worker.postMessage('go');
    });
    worker.terminate();
    expect(reply.error).toBeUndefined();
    expect(reply.backend).toBe('webgl');
    expect((reply.features as { context: string }).context).toBe('worker');
    // [[1,2,3],[4,5,6]] x [[0.5,-1],[2,0.25],[-3,1.5]], exact in float32.
    expect(reply.product).toEqual([-4.5, 4, -6, 6.25]);
  });
});

describe('webgl conformance', () => {
  describeBackendConformance(() => adapter);
  const normal = (rng: Rng, rows: number, cols: number) => tf.tensor2d(rng.fillNormal(new Float32Array(rows * cols)), [rows, cols]);
  it('is the active backend for the suites below', async () => {
    expect((await activate()).tfBackendName).toBe('webgl');
  });
  describeModelConformance({ model: createWideStudent({ width: 32, blockSize: 6, features: 'hidden' }), io: { inputDim: 5, outputDim: 2 } });
  describeRegularizerConformance({ factory: quadraticPi, options: { lambda: 2 }, makeInput: (rng) => ({ studentLogits: normal(rng, 6, 3), teacherLogits: normal(rng, 6, 3) }) });
  describeRegularizerConformance({ factory: labelFit, options: { loss: 'cross-entropy' }, makeInput: (rng) => ({ studentLogits: normal(rng, 6, 4), labels: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 0], 'int32'), 4), 'float32')) as tf.Tensor2D }) });
  describeRegularizerConformance({ factory: hintonKl, options: { temperature: 3 }, makeInput: (rng) => ({ studentLogits: normal(rng, 6, 5), teacherLogits: normal(rng, 6, 5) }) });
});

describeCpuAgreement('webgl', activate);
