import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../results/types.js';
import { runNotes } from './common.js';

describe('runNotes', () => {
  it("prefixes each note with its run's label and keeps one copy of each", () => {
    const runs = [
      { label: 'with teacher', notes: ['Test loss measured at step 294, not 300.', 'Test loss measured at step 294, not 300.'] },
      { label: 'without teacher', notes: ['Test loss measured at step 294, not 300.'] },
      { label: 'plain' },
    ] as unknown as RunRecord[];
    expect(runNotes(runs)).toEqual([
      'with teacher: Test loss measured at step 294, not 300.',
      'without teacher: Test loss measured at step 294, not 300.',
    ]);
  });
});
