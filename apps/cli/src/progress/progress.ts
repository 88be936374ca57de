import type { ReporterV1, TrainerEvent } from '@pikt/core';
import { formatNumber } from '../report/format.js';

export interface ProgressOptions {
  write(text: string): void;
  /** Draw a bar redrawn in place (terminal) instead of plain log lines. */
  isTTY: boolean;
  columns?: number;
  /** Clock for redraw throttling (tests pass a fake). */
  now?: () => number;
  /** Minimum time between two redraws of the bar. */
  minIntervalMs?: number;
  /** Plain-line mode: one line per this fraction of a run's steps (default 0.25). */
  logEvery?: number;
}

/** A ReporterV1 fed with TrainerEvents, plus the runner's own "which run of how many" context. */
export interface Progress extends ReporterV1 {
  /** A planned unit of work starts: shown as `[E1 3/12] label`. */
  task(label: string, index: number, total: number): void;
  /** A line of text (clears the bar first on a terminal). */
  log(line: string): void;
  /** Finish: clears the bar. */
  close(): void;
}

/** m:ss or h:mm:ss. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * Progress for long commands. On a terminal: one bar with percentage, steps, loss and ETA, redrawn
 * in place at most every `minIntervalMs`. Otherwise (CI logs, pipes): plain lines at the start of
 * each run, every `logEvery` of its steps, and at its end. ETA = elapsed / steps done * steps left,
 * from the trainer's own clock (`elapsedMs` of step-end events).
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => Date.now());
  const minInterval = options.minIntervalMs ?? 100;
  const logEvery = options.logEvery ?? 0.25;
  let prefix = '';
  let total = 0;
  let startStep = 0;
  let lastDraw = -Infinity;
  let nextLogFraction = logEvery;
  let barShown = false;

  const clearBar = () => {
    if (barShown) { options.write('\r\x1b[2K'); barShown = false; }
  };
  const line = (text: string) => { clearBar(); options.write(`${text}\n`); };

  const onStep = (e: Extract<TrainerEvent, { type: 'step-end' }>) => {
    const done = Math.max(0, e.step - startStep);
    const left = Math.max(0, total - e.step);
    const eta = done > 0 ? (e.elapsedMs / done) * left : NaN;
    const frac = total > 0 ? Math.min(1, e.step / total) : 0;
    const pct = `${Math.floor(frac * 100)}%`.padStart(4);
    const stats = `${e.step}/${total} loss ${formatNumber(e.loss)} ETA ${formatDuration(eta)}`;
    if (options.isTTY) {
      const t = now();
      if (t - lastDraw < minInterval && e.step < total) return;
      lastDraw = t;
      const columns = options.columns ?? 80;
      const width = Math.max(10, Math.min(30, columns - prefix.length - stats.length - 10));
      const filled = Math.round(frac * width);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      options.write(`\r\x1b[2K${`${prefix} ${bar} ${pct.trim()} ${stats}`.slice(0, columns - 1)}`);
      barShown = true;
    } else if (total > 0 && frac + 1e-12 >= nextLogFraction) {
      while (nextLogFraction <= frac + 1e-12) nextLogFraction += logEvery;
      line(`${prefix} step ${stats} (${pct.trim()})`);
    }
  };

  return {
    specificationVersion: 'v1',
    id: 'cli-progress',
    task(label, index, count) {
      prefix = `[${index}/${count}] ${label}`;
    },
    log: line,
    onEvent(e: TrainerEvent) {
      switch (e.type) {
        case 'run-start':
          total = e.totalSteps;
          startStep = e.startStep;
          lastDraw = -Infinity;
          nextLogFraction = logEvery;
          if (!options.isTTY) line(`${prefix} start: ${e.totalSteps} steps on ${e.backend}${e.startStep > 0 ? `, resumed at step ${e.startStep}` : ''}`);
          break;
        case 'step-end':
          onStep(e);
          break;
        case 'run-end':
          line(`${prefix} ${e.status === 'completed' ? 'done' : 'stopped'}: ${e.steps} steps in ${formatDuration(e.elapsedMs)}, final loss ${formatNumber(e.finalLoss)}`);
          break;
        case 'run-error':
          line(`${prefix} failed at step ${e.step}: ${e.message}`);
          break;
        default:
          break;
      }
    },
    close: clearBar,
  };
}
