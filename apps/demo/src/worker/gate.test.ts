import { describe, expect, it } from 'vitest';
import { createGate } from './gate.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createGate', () => {
  it('holds a paused run, lets exactly one step through per step(), and runs freely after play()', async () => {
    const gate = createGate(false);
    let passed = 0;
    const loop = (async () => { for (let i = 0; i < 5; i++) { await gate.pass(); passed += 1; } })();
    await tick();
    expect(passed).toBe(0);
    gate.step();
    await tick();
    expect(passed).toBe(1);
    gate.step();
    await tick();
    expect(passed).toBe(2);
    gate.play();
    await loop;
    expect(passed).toBe(5);
  });

  it('open() releases a held run for good', async () => {
    const gate = createGate(false);
    let passed = 0;
    const loop = (async () => { for (let i = 0; i < 3; i++) { await gate.pass(); passed += 1; } })();
    gate.open();
    await loop;
    expect(passed).toBe(3);
  });
});
