import { PiktError } from '@pikt/core';
import type { DivergenceConfig, OptimizerKind, StabilityConfig } from './config.js';
import { stabilityBound } from './config.js';
import { createDivergenceDetector } from './divergence-detector.js';
import type { DivergenceDetectorState } from './divergence-detector.js';

/** What the divergence messages know about the learning rate and the stability bound. */
export interface StabilityContext {
  kind: OptimizerKind;
  lr: number;
  stability?: StabilityConfig;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}

/**
 * The stability bound of SCIENCE.md P3 written out with the caller's numbers, e.g.
 * `eta < 2 / ((1 + lambda) mu_max) = 2 / ((1 + 1) * 12.5) = 0.08`.
 */
export function describeBound(s: StabilityConfig | undefined): string | undefined {
  const bound = stabilityBound(s);
  if (bound === undefined || !s) return undefined;
  if (s.muMax !== undefined) {
    return `eta < 2 / ((1 + lambda) mu_max) = 2 / ((1 + ${fmt(s.lambda ?? 0)}) * ${fmt(s.muMax)}) = ${fmt(bound)}`;
  }
  return `eta < 2 / ((1 + lambda) mu_max) = ${fmt(bound)} (stability.bound)`;
}

function advice(ctx: StabilityContext): string {
  const bound = stabilityBound(ctx.stability);
  const text = describeBound(ctx.stability);
  if (bound === undefined || text === undefined) {
    return `Lower optimizer.lr (now ${fmt(ctx.lr)}). Full-batch GD on L_lambda is stable only for eta < 2 / ((1 + lambda) mu_max): compute mu_max, the largest eigenvalue of the NTK Gram of the training set (e.g. with @pikt/ntk), and pass stability.muMax and stability.lambda to have the bound checked.`;
  }
  const ratio = ctx.lr / bound;
  const where = ctx.kind === 'gd' ? '' : ` (that is the full-batch GD bound; ${ctx.kind} is outside the theory, so it is a guide only)`;
  return `Full-batch GD is stable only for ${text}${where}; optimizer.lr = ${fmt(ctx.lr)} is ${fmt(ratio)}x the bound. Lower optimizer.lr below ${fmt(bound)}.`;
}

/**
 * Training diverged: the loss became NaN or infinite, or kept growing. The message quotes the
 * stability bound eta < 2 / ((1 + lambda) mu_max) when the caller supplied mu_max or the bound.
 */
export class DivergenceError extends PiktError {
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly reason: 'non-finite' | 'growing',
    readonly lr: number,
    readonly bound: number | undefined,
    problem: string,
    hint: string,
  ) {
    super('PIKT_DIVERGED', problem, hint);
  }
}

/** Full-batch GD was asked to run at or above the known stability bound without `allowUnstable`. */
export class UnstableLearningRateError extends PiktError {
  constructor(readonly lr: number, readonly bound: number, stability: StabilityConfig) {
    super('PIKT_UNSTABLE_LR',
      `optimizer.lr = ${fmt(lr)} is at or above the full-batch GD stability bound ${describeBound(stability)} (${fmt(lr / bound)}x the bound): gradient descent would diverge (SCIENCE.md P3).`,
      `Lower optimizer.lr below ${fmt(bound)}, or set stability.allowUnstable to true to run it anyway (divergence detection will stop it).`);
  }
}

/** Refuse full-batch GD above the known bound before any work, unless allowed. */
export function checkStability(ctx: StabilityContext): void {
  const bound = stabilityBound(ctx.stability);
  if (ctx.kind !== 'gd' || bound === undefined || ctx.stability?.allowUnstable) return;
  if (ctx.lr >= bound) throw new UnstableLearningRateError(ctx.lr, bound, ctx.stability as StabilityConfig);
}

/** The monitor's memory (the detector's), saved in checkpoints. */
export type DivergenceMonitorState = DivergenceDetectorState;

/**
 * Watches the loss of every step and stops the run (throws DivergenceError) when the detector of
 * divergence-detector.ts alarms: a NaN or infinite loss or term, or a loss that rose at each of the
 * last `window` steps to more than `factor` times the lowest loss seen and above the run's first
 * loss: the signature of eta beyond the stability bound, where the component of u - ybar along the
 * top eigenvector grows like |1 - eta (1 + lambda) mu_max|^k. Adam's oscillation and float32 noise
 * near a converged loss stay below the first loss and do not alarm.
 */
export function createDivergenceMonitor(config: Required<DivergenceConfig>, ctx: StabilityContext, restore?: DivergenceMonitorState) {
  const detector = createDivergenceDetector(config, restore);
  const bound = stabilityBound(ctx.stability);
  return {
    observe(step: number, loss: number, terms: Record<string, number>): void {
      const alarm = detector.observe(loss, terms);
      if (alarm === null) return;
      if (alarm.reason === 'non-finite') {
        // A term that is non-finite at the first observed step was never driven there by the steps:
        // the term's own computation produced it, so the learning rate is not the cause.
        const bad = Object.entries(terms).find(([, v]) => !Number.isFinite(v));
        if (bad && detector.state().best === null) {
          throw new DivergenceError(step, loss, 'non-finite', ctx.lr, bound,
            `The loss term "${bad[0]}" is ${bad[1]} at step ${step}, before training could diverge: the regularizer computing it returned a non-finite value on finite inputs.`,
            `Check the compute() of the regularizer behind "${bad[0]}" (a log of 0, 0/0, an overflow) or its options; the learning rate is not the cause.`);
        }
        throw new DivergenceError(step, loss, 'non-finite', ctx.lr, bound, `Training diverged at step ${step}: the ${alarm.what}.`, advice(ctx));
      }
      throw new DivergenceError(step, loss, 'growing', ctx.lr, bound,
        `Training diverged at step ${step}: the loss rose at each of the last ${alarm.window} steps, from ${fmt(alarm.from)} to ${fmt(alarm.to)} (more than ${fmt(alarm.factor)}x the lowest loss, ${fmt(alarm.best)}, and above the first loss, ${fmt(alarm.start)}).`,
        advice(ctx));
    },
    state(): DivergenceMonitorState {
      return detector.state();
    },
  };
}

export type DivergenceMonitor = ReturnType<typeof createDivergenceMonitor>;
