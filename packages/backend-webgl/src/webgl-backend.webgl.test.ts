// tfjs-backend-webgl in Debian's headless Chromium (vitest browser mode): the probe, the main thread
// and a Web Worker, the backend conformance suite. The model and regularizer suites and the
// agreement with cpu: tests/gpu-backends.webgl.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import { describeBackendConformance } from '@pikt/testkit';
import { describe, expect, it } from 'vitest';
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
    const worker = new Worker(new URL('./webgl-worker.fixture.ts', import.meta.url), { type: 'module' });
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

describeBackendConformance(() => adapter);
