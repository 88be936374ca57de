import { PiktError } from '@pikt/core';
import type { DivergenceConfig, OptimizerKind, StabilityConfig } from './config.js';
import { stabilityBound } from './config.js';

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

/** The monitor's memory, saved in checkpoints so a resumed run stops exactly where the original would. */
export interface DivergenceMonitorState {
  /** Up to window + 1 most recent losses, oldest first. */
  recent: number[];
  /** Lowest loss seen (null before the first step). */
  best: number | null;
}

/**
 * Watches the loss of every step. Stops the run (throws DivergenceError) when the loss or a term is
 * NaN or infinite, or when the loss rose at each of the last `window` steps and is above `factor`
 * times the lowest loss seen: the signature of eta beyond the stability bound, where the component
 * of u - ybar along the top eigenvector grows like |1 - eta (1 + lambda) mu_max|^k.
 */
export function createDivergenceMonitor(config: Required<DivergenceConfig>, ctx: StabilityContext, restore?: DivergenceMonitorState) {
  const recent = [...(restore?.recent ?? [])];
  let best = restore?.best ?? null;
  const bound = stabilityBound(ctx.stability);
  return {
    observe(step: number, loss: number, terms: Record<string, number>): void {
      const bad = Object.entries(terms).find(([, v]) => !Number.isFinite(v));
      if (!Number.isFinite(loss) || bad) {
        const what = bad ? `loss term "${bad[0]}" is ${bad[1]}` : `loss is ${loss}`;
        // A term that is non-finite at the first observed step was never driven there by the steps:
        // the term's own computation produced it, so the learning rate is not the cause.
        if (bad && best === null) {
          throw new DivergenceError(step, loss, 'non-finite', ctx.lr, bound,
            `The loss term "${bad[0]}" is ${bad[1]} at step ${step}, before training could diverge: the regularizer computing it returned a non-finite value on finite inputs.`,
            `Check the compute() of the regularizer behind "${bad[0]}" (a log of 0, 0/0, an overflow) or its options; the learning rate is not the cause.`);
        }
        throw new DivergenceError(step, loss, 'non-finite', ctx.lr, bound,
          `Training diverged at step ${step}: the ${what}.`, advice(ctx));
      }
      recent.push(loss);
      if (recent.length > config.window + 1) recent.shift();
      best = best === null ? loss : Math.min(best, loss);
      if (config.window === 0 || recent.length < config.window + 1) return;
      const rising = recent.every((v, i) => i === 0 || v > recent[i - 1]);
      // Losses that can be <= 0 have no meaningful ratio to the best one: only the NaN/Inf test applies.
      if (rising && best > 0 && loss > config.factor * best) {
        throw new DivergenceError(step, loss, 'growing', ctx.lr, bound,
          `Training diverged at step ${step}: the loss rose at each of the last ${config.window} steps, from ${fmt(recent[0])} to ${fmt(loss)} (more than ${fmt(config.factor)}x the lowest loss, ${fmt(best)}).`,
          advice(ctx));
      }
    },
    state(): DivergenceMonitorState {
      return { recent: [...recent], best };
    },
  };
}

export type DivergenceMonitor = ReturnType<typeof createDivergenceMonitor>;
