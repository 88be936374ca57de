/**
 * Divergence detection on the stream of per-step losses, free of tensors and of error wording (the
 * monitor in divergence.ts turns an alarm into a DivergenceError with the stability advice).
 *
 * What divergence looks like, and what does not:
 *  - GD above the stability bound (SCIENCE.md P3): the component of u - ybar on the top eigenvector
 *    grows like |1 - eta (1 + lambda) mu_max|^k, so the loss rises at every step, geometrically, and
 *    soon passes the loss the run started from. At eta = 10x the bound the factor is 19^2 per step.
 *  - Adam's oscillation: after reaching a small loss, Adam's second-moment estimate v decays with
 *    the gradients, the effective step lr / sqrt(v) grows, and the loss climbs for tens of steps by
 *    several orders of magnitude (measured: 1.6e-4 -> 9.0 over 32 steps, full preset's teacher)
 *    before it falls again. It stays far below the starting loss (2160 there).
 *  - float32 noise at convergence: a loss of 6e-13 wanders to 8e-12 (13x) with rises in a row
 *    (tiny preset's teacher at step 1987): rounding, ~1e-13 of the starting loss of 31.
 *
 * So the growth alarm needs all three: the loss rose at each of the last `window` steps, it is more
 * than `factor` times the lowest loss seen, and it is above the run's first loss (the run is now
 * worse than where it started). The first two are the geometric growth; the third separates a
 * run that goes away from any solution from one that wanders near one. NaN or an infinite loss (or
 * term) always alarms at once.
 */

export interface DivergenceDetectorConfig {
  /** Consecutive rises required (0 disables the growth test; NaN/Inf still alarm). */
  window: number;
  /** The loss must exceed factor x the lowest loss seen. */
  factor: number;
}

/** The detector's memory, saved in checkpoints so a resumed run alarms exactly where the original would. */
export interface DivergenceDetectorState {
  /** Up to window + 1 most recent losses, oldest first. */
  recent: number[];
  /** Lowest loss seen (null before the first step). */
  best: number | null;
  /** The first loss seen (null before the first step; absent in checkpoints written before it existed). */
  start?: number | null;
}

export type DivergenceAlarm =
  | { reason: 'non-finite'; what: string }
  | { reason: 'growing'; from: number; to: number; best: number; start: number; window: number; factor: number };

export interface DivergenceDetector {
  /** Feed one step's loss and terms; returns the alarm, or null while the run looks healthy. */
  observe(loss: number, terms: Record<string, number>): DivergenceAlarm | null;
  state(): DivergenceDetectorState;
}

export function createDivergenceDetector(config: DivergenceDetectorConfig, restore?: DivergenceDetectorState): DivergenceDetector {
  const recent = [...(restore?.recent ?? [])];
  let best = restore?.best ?? null;
  // A checkpoint from before `start` existed: its oldest remembered loss is the best stand-in.
  let start = restore?.start ?? (restore && restore.recent.length > 0 ? Math.max(restore.recent[0], restore.best ?? -Infinity) : null);
  return {
    observe(loss, terms) {
      const bad = Object.entries(terms).find(([, v]) => !Number.isFinite(v));
      if (!Number.isFinite(loss) || bad) {
        return { reason: 'non-finite', what: bad ? `loss term "${bad[0]}" is ${bad[1]}` : `loss is ${loss}` };
      }
      recent.push(loss);
      if (recent.length > config.window + 1) recent.shift();
      best = best === null ? loss : Math.min(best, loss);
      start ??= loss;
      if (config.window === 0 || recent.length < config.window + 1) return null;
      const rising = recent.every((v, i) => i === 0 || v > recent[i - 1]);
      // Losses that can be <= 0 have no meaningful ratio to the best one: only the NaN/Inf test applies.
      if (rising && best > 0 && loss > config.factor * best && loss > start) {
        return { reason: 'growing', from: recent[0], to: loss, best, start, window: config.window, factor: config.factor };
      }
      return null;
    },
    state() {
      return { recent: [...recent], best, start };
    },
  };
}
