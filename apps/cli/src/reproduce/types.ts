import type { ExperimentReport } from '../report/types.js';
import type { RunParams, RunRecord } from '../results/types.js';
import type { Preset } from './presets.js';
import type { StudentKnobs, StudentRunSpec } from './run-spec.js';

export const EXPERIMENT_IDS = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6'] as const;
export type ExperimentId = (typeof EXPERIMENT_IDS)[number];

/** One run an experiment asks for: its label (unique in the experiment) and the knobs it sets. */
export interface PlannedRun {
  experiment: ExperimentId;
  label: string;
  knobs: StudentKnobs;
}

/** A planned run made concrete: its results.json params and the JSON run spec the scheduler executes. */
export interface ResolvedRun {
  experiment: ExperimentId;
  label: string;
  params: RunParams;
  spec: StudentRunSpec;
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

/** What executing a run spec gives: the numbers of results.json without label and params. */
export type RunOutcome = Omit<RunRecord, 'label' | 'params'>;
