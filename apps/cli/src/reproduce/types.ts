import type { JsonObject } from '@pikt/core';
import type { ExperimentReport } from '../report/types.js';
import type { RunParams, RunRecord } from '../results/types.js';
import type { Preset } from './presets.js';

export const EXPERIMENT_IDS = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7'] as const;
export type ExperimentId = (typeof EXPERIMENT_IDS)[number];

/** One run an experiment asks for: its label (unique in the experiment) and what to execute. */
export interface PlannedRun {
  experiment: ExperimentId;
  label: string;
  params: RunParams;
  /** Everything the executor needs beyond params (regularizer options, learning-rate factor...). */
  spec: JsonObject;
}

export interface ReportContext {
  preset: Preset;
  /** The task in words (dataset, sizes, reductions). */
  setup: string;
}

/** An experiment of SCIENCE.md section 6: which runs, and how their numbers become a report section. */
export interface ExperimentDefinition {
  id: ExperimentId;
  title: string;
  question: string;
  plan(preset: Preset): PlannedRun[];
  report(runs: readonly RunRecord[], ctx: ReportContext): ExperimentReport;
}

/** Executes planned runs (trains, predicts, measures). Returns undefined when stopped by the signal. */
export interface RunExecutor {
  execute(run: PlannedRun, signal: AbortSignal): Promise<RunRecord | undefined>;
  /** Setup text for the report (the task). */
  describe(): Promise<string>;
}
