import { createRng } from '@pikt/core';
import { describe, expect, it } from 'vitest';
import { createBatchSchedule } from './batches.js';

describe('batch schedule', () => {
  it('each epoch visits every row once, in the order of rng.child("batches").child(epoch)', () => {
    const root = createRng(3);
    const s = createBatchSchedule(root, 10, 4);
    expect(s.stepsPerEpoch).toBe(3);
    for (const epoch of [0, 1, 5]) {
      const rows = [0, 1, 2].flatMap((b) => Array.from(s.slot(epoch * 3 + b).rows as Int32Array));
      expect(rows).toEqual(Array.from(createRng(3).child('batches').child(epoch).permutation(10)));
      expect(s.slot(epoch * 3 + 2).rows).toHaveLength(2); // the last batch is short
      expect(s.slot(epoch * 3).epoch).toBe(epoch);
    }
    expect(s.slot(0).rows).not.toEqual(s.slot(3).rows);
  });
  it('a schedule rebuilt from the root key (resume) gives the same batch for any step', () => {
    const a = createBatchSchedule(createRng('k'), 9, 2);
    const b = createBatchSchedule(createRng('k'), 9, 2);
    for (let i = 0; i < 37; i++) a.slot(i);
    expect(Array.from(b.slot(37).rows as Int32Array)).toEqual(Array.from(a.slot(37).rows as Int32Array));
  });
  it('full batches use every row in natural order', () => {
    const s = createBatchSchedule(createRng(1), 5, undefined);
    expect(s.fullBatch).toBe(true);
    expect(s.slot(7)).toEqual({ epoch: 7 });
    expect(createBatchSchedule(createRng(1), 5, 5).fullBatch).toBe(true);
  });
});
