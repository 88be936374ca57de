import type { TrainerEvent } from '@pikt/core';

/**
 * A single-consumer async queue of trainer events: the loop pushes, a `for await` consumer pulls.
 * Events are buffered until read; `close()` ends the iteration once the buffer is drained.
 */
export function createEventQueue() {
  const buffer: TrainerEvent[] = [];
  let waiting: ((r: IteratorResult<TrainerEvent>) => void) | undefined;
  let closed = false;
  const iterator: AsyncIterableIterator<TrainerEvent> = {
    next() {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift() as TrainerEvent, done: false });
      if (closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => { waiting = resolve; });
    },
    return() {
      closed = true;
      buffer.length = 0;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() { return iterator; },
  };
  return {
    push(event: TrainerEvent): void {
      if (closed) return;
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w({ value: event, done: false });
      } else {
        buffer.push(event);
      }
    },
    close(): void {
      closed = true;
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w({ value: undefined, done: true });
      }
    },
    iterator,
  };
}

export type EventQueue = ReturnType<typeof createEventQueue>;
