/**
 * Trainer events: plain numbers and strings only, so the same stream feeds the CLI's progress bar,
 * JSONL logs and the demo's Web Worker (structured-clone safe).
 */
export interface RunStartEvent {
  type: 'run-start';
  runId: string;
  totalSteps: number;
  backend: string;
  /** The validated experiment config, as JSON. */
  config: unknown;
  /** Step resumed from (0 for a fresh run). */
  startStep: number;
  /** The GD stability bound eta < 2 / ((1 + lambda) mu_max) when known (SCIENCE.md P3). */
  stabilityBound?: number;
  /** Plain-words caveats, e.g. that SGD/Adam are outside the kernel-regime theory. */
  notes?: string[];
}

export interface StepEndEvent {
  type: 'step-end';
  runId: string;
  step: number;
  /** Total loss and each named term (e.g. { label: .., pi: .. }). */
  loss: number;
  terms: Record<string, number>;
  /** ||W - W(0)||_F when tracked. */
  weightDistance?: number;
  /** ||H(W(k)) - H(W(0))||_F / ||H(W(0))||_F at this step's W(k), when the trainer's `kernelDrift` asks for it. */
  kernelDrift?: number;
  elapsedMs: number;
}

export interface EvalEndEvent {
  type: 'eval-end';
  runId: string;
  step: number;
  split: 'train' | 'test';
  metrics: Record<string, number>;
  /** Outputs u on the evaluated samples, row-major, when requested. */
  outputs?: number[];
}

export interface RunEndEvent {
  type: 'run-end';
  runId: string;
  steps: number;
  finalLoss: number;
  elapsedMs: number;
  /** 'completed', 'aborted' (AbortSignal) */
  status: 'completed' | 'aborted';
}

export interface RunErrorEvent {
  type: 'run-error';
  runId: string;
  step: number;
  code: string;
  message: string;
}

/**
 * Every event of a run. There is no NTK event: the trainer computes no kernel (the kernel-regime
 * numbers come from @pikt/ntk next to the run, e.g. in the CLI), so a declared but never emitted
 * 'ntk-end' was removed from the contract.
 */
export type TrainerEvent = RunStartEvent | StepEndEvent | EvalEndEvent | RunEndEvent | RunErrorEvent;
export type TrainerEventType = TrainerEvent['type'];

/** A consumer of trainer events (progress bar, JSONL writer, Worker postMessage). */
export interface ReporterV1 {
  readonly specificationVersion: 'v1';
  readonly id: string;
  onEvent(event: TrainerEvent): void | Promise<void>;
  close?(): void | Promise<void>;
}
