import { describe, expect, it } from 'vitest';
import type { BackendAdapterV1 } from './contracts/backend.js';
import { NoBackendError } from './errors.js';
import { selectBackend } from './select-backend.js';

const fake = (id: string, priority: number, behaviour: 'ok' | 'unsupported' | 'throws' | 'activate-fails'): BackendAdapterV1 => ({
  specificationVersion: 'v1',
  id,
  priority,
  async probe() {
    if (behaviour === 'throws') throw new Error(`${id} probe exploded`);
    if (behaviour === 'unsupported') return { supported: false, reason: `${id} needs a GPU adapter` };
    return { supported: true, features: { floatPrecision: 32 } };
  },
  async activate() {
    if (behaviour === 'activate-fails') throw new Error(`${id} failed to load its binary`);
    return { id, tfBackendName: id, features: { floatPrecision: 32 } };
  },
});

describe('selectBackend', () => {
  it('activates the first supported candidate in order', async () => {
    const active = await selectBackend([fake('gpu', 30, 'unsupported'), fake('a', 1, 'ok'), fake('b', 2, 'ok')]);
    expect(active.id).toBe('a');
  });

  it('honours priority when asked', async () => {
    const active = await selectBackend([fake('a', 1, 'ok'), fake('b', 2, 'ok')], { byPriority: true });
    expect(active.id).toBe('b');
  });

  it('lists every candidate with its reason when none works', async () => {
    const attempt = selectBackend([fake('gpu', 3, 'unsupported'), fake('wasm', 2, 'throws'), fake('cpu', 1, 'activate-fails')]);
    await expect(attempt).rejects.toBeInstanceOf(NoBackendError);
    await expect(attempt).rejects.toThrow(
      'No backend could be activated. Tried: gpu (gpu needs a GPU adapter); wasm (wasm probe exploded); cpu (cpu failed to load its binary).',
    );
  });
});
