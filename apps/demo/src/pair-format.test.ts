import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePair, encodePair } from './pair-format.js';

describe('class-pair asset format', () => {
  it('round-trips coordinates to 16-bit precision and labels exactly', () => {
    const x = Float32Array.from({ length: 5 * 3 }, (_, i) => Math.sin(i) * 7);
    const p = { name: 'toy', dim: 3, train: { x: x.subarray(0, 9), y: Float32Array.from([-1, 1, -1]) }, test: { x: x.subarray(9), y: Float32Array.from([1, -1]) } };
    const back = decodePair(encodePair(p));
    expect(back.name).toBe('toy');
    expect(Array.from(back.train.y)).toEqual([-1, 1, -1]);
    expect(Array.from(back.test.y)).toEqual([1, -1]);
    const all = [...back.train.x, ...back.test.x];
    all.forEach((v, i) => expect(Math.abs(v - x[i])).toBeLessThanOrEqual((7 / 32767) * 0.5 + 1e-6));
    expect(() => decodePair(new Uint8Array(20))).toThrow('not a pikt demo pair asset (bad magic)');
  });

  it('the shipped MNIST and Fashion-MNIST pairs hold 1000 + 500 balanced rows of 64 PCA coordinates', () => {
    for (const [file, name] of [['mnist-pair.bin', 'MNIST 3 vs 5'], ['fashion-pair.bin', 'Fashion-MNIST T-shirt/top vs Shirt']]) {
      const p = decodePair(new Uint8Array(readFileSync(new URL(`../public/data/${file}`, import.meta.url))));
      expect(p.name).toBe(name);
      expect(p.dim).toBe(64);
      expect([p.train.y.length, p.test.y.length]).toEqual([1000, 500]);
      expect(p.train.y.reduce((a, b) => a + b, 0)).toBe(0);
      // PCA coordinates: the first component carries more variance than the last.
      const variance = (j: number) => { let s = 0; for (let i = 0; i < 1000; i++) s += p.train.x[i * 64 + j] ** 2; return s; };
      expect(variance(0)).toBeGreaterThan(5 * variance(63));
    }
  });
});
