// In Node (no document, no OffscreenCanvas) the adapter explains itself instead of crashing.
import { describe, expect, it } from 'vitest';
import { createWebglBackend } from './webgl-backend.js';
import { NO_WEBGL_IN_NODE, probeWebgl } from './webgl-probe.js';

describe('webgl adapter in Node', () => {
  it('probe says there is no WebGL in Node and what to use instead', async () => {
    expect(probeWebgl()).toEqual({ ok: false, reason: 'no WebGL in Node: use wasm or node-gpu' });
    expect(await createWebglBackend().probe()).toEqual({ supported: false, reason: NO_WEBGL_IN_NODE });
  });
  it('activate throws a PiktError with the reason and a hint', async () => {
    await expect(createWebglBackend().activate()).rejects.toMatchObject({
      code: 'PIKT_NO_BACKEND',
      message: 'The webgl backend cannot run here: no WebGL in Node: use wasm or node-gpu. Use --backend wasm (or node-gpu in Node).',
    });
  });
});
