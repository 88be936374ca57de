import type { ClaimSummary, FailedRun } from './summary.js';

/** A prediction of SCIENCE.md (P1-P8) checked against a measurement. */
export interface Verdict {
  /** "P4", "P6", ... */
  prediction: string;
  /** What the theory says, in words. */
  claim: string;
  measured: number | null;
  predicted: number | null;
  /**
   * |measured - predicted| / |predicted| (relative), |measured - predicted| (absolute), or
   * |measured - predicted| / scale (scaled: against the problem's scale, e.g. ||y||, for a quantity
   * whose prediction may be near zero); null when not comparable.
   */
  gap: number | null;
  gapKind: 'relative' | 'absolute' | 'scaled';
  /** The scale of a `scaled` gap, named (e.g. "||y||" = 14.14). */
  scale?: { name: string; value: number };
  tolerance: number;
  /** Why the tolerance is what it is (error model, float32 rounding, finite steps): never tuned to pass. */
  toleranceReason: string;
  /** For a verdict that does not hold: what explains it (finite-width theory, an E7 assumption), when known. */
  explanation?: string;
  /** Spread over seeds when the verdict judges a mean, e.g. "mean of 3 seeds, sd 0.002". */
  spread?: string;
  /** null: could not be checked (the reason is in `words`). */
  holds: boolean | null;
  /** The plain-words sentence printed in the report. */
  words: string;
}

export interface ReportTable {
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

export interface ReportFigure {
  id: string;
  title: string;
  caption: string;
  svg: string;
  /** Path of the SVG file relative to the report folder (e.g. `figures/e1-train-loss.svg`). */
  file: string;
  /** Path of the PNG, when one was rendered. */
  png?: string;
}

export interface ExperimentReport {
  id: string;
  title: string;
  /** What the experiment asks, in words. */
  question: string;
  /** How it was run (data, sizes, what was reduced), in words. */
  setup: string;
  table: ReportTable;
  figures: ReportFigure[];
  verdicts: Verdict[];
  notes: string[];
}

export interface ReportDocument {
  title: string;
  /** One line: command, preset, dataset, backend, date-free so reports are reproducible. */
  summary: string;
  environment: Record<string, string | number>;
  experiments: ExperimentReport[];
  /** The one-screen opening: each claim, whether it held, its key number and figure. */
  claims?: ClaimSummary[];
  /** Runs that failed inside the plan, with their reasons. */
  failedRuns?: FailedRun[];
}
