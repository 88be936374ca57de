import type { TrainerEvent } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { createCallbackReporter, createMemoryReporter } from './reporters.js';

describe('reporters', () => {
  const e: TrainerEvent = { type: 'run-end', runId: 'r', steps: 3, finalLoss: 0.5, elapsedMs: 1, status: 'completed' };
  it('memory keeps copies of the events; callback forwards them', async () => {
    const m = createMemoryReporter();
    const mutable = { ...e };
    await m.onEvent(mutable);
    mutable.steps = 99;
    expect(m.events).toEqual([e]);
    const seen: TrainerEvent[] = [];
    await createCallbackReporter((x) => { seen.push(x); }).onEvent(e);
    expect(seen).toEqual([e]);
  });
});
