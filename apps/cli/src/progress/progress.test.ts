import { describe, expect, it } from 'vitest';
import type { TrainerEvent } from '@pikt/core';
import { createProgress, formatDuration } from './progress.js';

function events(total: number, msPerStep: number): TrainerEvent[] {
  const out: TrainerEvent[] = [{ type: 'run-start', runId: 'r', totalSteps: total, backend: 'wasm', config: {}, startStep: 0 }];
  for (let s = 1; s <= total; s++) out.push({ type: 'step-end', runId: 'r', step: s, loss: 1 / s, terms: {}, elapsedMs: s * msPerStep });
  out.push({ type: 'run-end', runId: 'r', steps: total, finalLoss: 1 / total, elapsedMs: total * msPerStep, status: 'completed' });
  return out;
}

describe('createProgress', () => {
  it('writes plain log lines with ETA when not on a terminal', () => {
    const out: string[] = [];
    const p = createProgress({ write: (t) => out.push(t), isTTY: false });
    p.task('E1 with teacher', 1, 4);
    for (const e of events(8, 1000)) p.onEvent(e);
    expect(out.join('')).toBe([
      '[1/4] E1 with teacher start: 8 steps on wasm',
      '[1/4] E1 with teacher step 2/8 loss 0.5 ETA 0:06 (25%)',
      '[1/4] E1 with teacher step 4/8 loss 0.25 ETA 0:04 (50%)',
      '[1/4] E1 with teacher step 6/8 loss 0.1667 ETA 0:02 (75%)',
      '[1/4] E1 with teacher step 8/8 loss 0.125 ETA 0:00 (100%)',
      '[1/4] E1 with teacher done: 8 steps in 0:08, final loss 0.125',
      '',
    ].join('\n'));
    expect(out.join('')).not.toContain('\r');
  });

  it('redraws one bar in place on a terminal, throttled, and clears it before log lines', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress({ write: (s) => out.push(s), isTTY: true, columns: 100, now: () => t, minIntervalMs: 100 });
    p.task('E5 m=4096', 2, 3);
    for (const e of events(10, 50)) { t += 30; p.onEvent(e); }
    const draws = out.filter((s) => s.startsWith('\r\x1b[2K['));
    // 10 steps 30 ms apart with a 100 ms throttle: steps 1, 5, 9 and the final one.
    expect(draws.length).toBe(4);
    expect(draws[1]).toContain('[2/3] E5 m=4096 [###############---------------] 50% 5/10 loss 0.2 ETA 0:00');
    expect(draws[3]).toContain('100% 10/10');
    expect(out[out.length - 2]).toBe('\r\x1b[2K');
    expect(out[out.length - 1]).toBe('[2/3] E5 m=4096 done: 10 steps in 0:01, final loss 0.1\n');
  });

  it('formats durations', () => {
    expect(formatDuration(59_400)).toBe('0:59');
    expect(formatDuration(61_000)).toBe('1:01');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(NaN)).toBe('?');
  });
});
