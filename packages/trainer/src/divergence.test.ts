import { describe, expect, it } from 'vitest';
import { DivergenceError, UnstableLearningRateError, checkStability, createDivergenceMonitor, describeBound } from './divergence.js';

const ctx = { kind: 'gd' as const, lr: 1, stability: { muMax: 2.5, lambda: 1 } };

describe('describeBound', () => {
  it('writes out eta < 2 / ((1 + lambda) mu_max) with the numbers', () => {
    expect(describeBound({ muMax: 2.5, lambda: 1 })).toBe('eta < 2 / ((1 + lambda) mu_max) = 2 / ((1 + 1) * 2.5) = 0.4');
    expect(describeBound({ bound: 0.125 })).toBe('eta < 2 / ((1 + lambda) mu_max) = 0.125 (stability.bound)');
    expect(describeBound({})).toBeUndefined();
  });
});

describe('checkStability', () => {
  it('refuses full-batch GD at or above the bound unless allowUnstable, and never judges sgd/adam', () => {
    expect(() => checkStability({ ...ctx, lr: 4 })).toThrow(UnstableLearningRateError);
    expect(() => checkStability({ ...ctx, lr: 4 })).toThrow('optimizer.lr = 4 is at or above the full-batch GD stability bound eta < 2 / ((1 + lambda) mu_max) = 2 / ((1 + 1) * 2.5) = 0.4 (10x the bound)');
    expect(() => checkStability({ ...ctx, lr: 0.4 })).toThrow(/Lower optimizer.lr below 0.4, or set stability.allowUnstable/);
    expect(() => checkStability({ ...ctx, lr: 0.39 })).not.toThrow();
    expect(() => checkStability({ ...ctx, lr: 4, stability: { ...ctx.stability, allowUnstable: true } })).not.toThrow();
    expect(() => checkStability({ kind: 'adam', lr: 4, stability: ctx.stability })).not.toThrow();
    expect(() => checkStability({ kind: 'gd', lr: 4 })).not.toThrow();
  });
});

describe('divergence monitor', () => {
  const config = { window: 3, factor: 10 };

  it('stops on NaN or Inf in the loss or a term, naming the term', () => {
    const m = createDivergenceMonitor(config, ctx);
    m.observe(1, 1, { a: 1 });
    expect(() => m.observe(2, Number.NaN, { a: Number.NaN })).toThrow('Training diverged at step 2: the loss term "a" is NaN.');
    const m2 = createDivergenceMonitor(config, ctx);
    let err: unknown;
    try { m2.observe(1, Infinity, {}); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DivergenceError);
    expect(err).toMatchObject({ code: 'PIKT_DIVERGED', reason: 'non-finite', step: 1, bound: 0.4 });
  });

  it('blames the loss term, not the learning rate, when a term is non-finite at the first step', () => {
    const m = createDivergenceMonitor(config, ctx);
    let err: unknown;
    try { m.observe(1, Number.NaN, { label: 0.5, pi: Number.NaN }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as Error).message).toBe('The loss term "pi" is NaN at step 1, before training could diverge: the regularizer computing it returned a non-finite value on finite inputs. '
      + 'Check the compute() of the regularizer behind "pi" (a log of 0, 0/0, an overflow) or its options; the learning rate is not the cause.');
    // After finite steps, a non-finite term is divergence as before (the bound advice).
    const later = createDivergenceMonitor(config, ctx);
    later.observe(1, 1, { pi: 1 });
    expect(() => later.observe(2, Number.NaN, { pi: Number.NaN })).toThrow(/^Training diverged at step 2: the loss term "pi" is NaN\./);
  });

  it('stops when the loss rose at each of the last `window` steps and exceeds factor x best, quoting the bound', () => {
    const m = createDivergenceMonitor(config, ctx);
    [5, 2, 1, 3, 6].forEach((l, i) => m.observe(i + 1, l, {})); // rising 3 times, but 6 < 10 * 1
    expect(() => m.observe(6, 12, {})).toThrow(DivergenceError);
    const m2 = createDivergenceMonitor(config, ctx);
    [1, 2, 4].forEach((l, i) => m2.observe(i + 1, l, {}));
    let err: DivergenceError | undefined;
    try { m2.observe(4, 100, {}); } catch (e) { err = e as DivergenceError; }
    expect(err?.message).toBe('Training diverged at step 4: the loss rose at each of the last 3 steps, from 1 to 100 (more than 10x the lowest loss, 1, and above the first loss, 1). '
      + 'Full-batch GD is stable only for eta < 2 / ((1 + lambda) mu_max) = 2 / ((1 + 1) * 2.5) = 0.4; optimizer.lr = 1 is 2.5x the bound. Lower optimizer.lr below 0.4.');
    expect(err?.reason).toBe('growing');
  });

  it('says how to get the bound when mu_max is unknown, and that it only guides sgd/adam', () => {
    const m = createDivergenceMonitor(config, { kind: 'gd', lr: 3 });
    expect(() => m.observe(1, Number.NaN, {})).toThrow(/pass stability.muMax and stability.lambda/);
    const m2 = createDivergenceMonitor(config, { kind: 'sgd', lr: 3, stability: { bound: 0.5 } });
    expect(() => m2.observe(1, Number.NaN, {})).toThrow(/that is the full-batch GD bound; sgd is outside the theory/);
  });

  it('ignores noisy losses, window 0 and non-positive best losses; its state round-trips', () => {
    const m = createDivergenceMonitor(config, ctx);
    [3, 1, 2, 1.5, 2.5, 1, 3, 2].forEach((l, i) => m.observe(i + 1, l, {}));
    const off = createDivergenceMonitor({ window: 0, factor: 10 }, ctx);
    [1, 10, 100, 1000].forEach((l, i) => off.observe(i + 1, l, {}));
    const neg = createDivergenceMonitor(config, ctx);
    [-1, 0, 1, 2].forEach((l, i) => neg.observe(i + 1, l, {}));
    const a = createDivergenceMonitor(config, ctx);
    [1, 2, 4].forEach((l, i) => a.observe(i + 1, l, {}));
    const b = createDivergenceMonitor(config, ctx, structuredClone(a.state()));
    expect(b.state()).toEqual({ recent: [1, 2, 4], best: 1, start: 1 });
    expect(() => b.observe(4, 100, {})).toThrow(DivergenceError);
  });
});
