import { describe, expect, it } from 'vitest';
import { DuplicatePluginError, UnknownPluginError } from './errors.js';
import { createRegistry } from './registry.js';

describe('createRegistry', () => {
  it('returns what was registered and lists ids sorted', () => {
    const r = createRegistry<number>('regularizer');
    r.register('quadratic-pi', 1);
    r.register('kl', 2);
    expect(r.get('kl')).toBe(2);
    expect(r.ids()).toEqual(['kl', 'quadratic-pi']);
    expect(r.has('nope')).toBe(false);
  });

  it('unknown ids raise an error listing the known ones', () => {
    const r = createRegistry<number>('regularizer');
    r.register('kl', 2);
    r.register('quadratic-pi', 1);
    let err: unknown;
    try { r.get('kld'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UnknownPluginError);
    expect((err as Error).message).toBe('Unknown regularizer "kld". Known regularizers: kl, quadratic-pi. Check the spelling or register the plugin first.');
    expect((err as UnknownPluginError).known).toEqual(['kl', 'quadratic-pi']);
  });

  it('refuses duplicates unless replace is set', () => {
    const r = createRegistry<number>('model');
    r.register('mlp', 1);
    expect(() => r.register('mlp', 2)).toThrow(DuplicatePluginError);
    r.register('mlp', 3, { replace: true });
    expect(r.get('mlp')).toBe(3);
  });
});
