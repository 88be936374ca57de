import type { TrainerEvent } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { createEventQueue } from './event-queue.js';

const ev = (k: number): TrainerEvent => ({ type: 'step-end', runId: 'r', step: k, loss: 0, terms: {}, elapsedMs: 0 });

describe('event queue', () => {
  it('delivers buffered and later events in order, then ends on close', async () => {
    const q = createEventQueue();
    q.push(ev(1));
    const got: number[] = [];
    const done = (async () => { for await (const e of q.iterator) got.push((e as { step: number }).step); })();
    q.push(ev(2));
    await Promise.resolve();
    q.push(ev(3));
    q.close();
    q.push(ev(4)); // after close: dropped
    await done;
    expect(got).toEqual([1, 2, 3]);
  });
  it('a consumer that breaks out stops buffering', async () => {
    const q = createEventQueue();
    q.push(ev(1));
    q.push(ev(2));
    for await (const e of q.iterator) { expect(e).toEqual(ev(1)); break; }
    q.push(ev(3));
    expect(await q.iterator.next()).toEqual({ value: undefined, done: true });
  });
});
