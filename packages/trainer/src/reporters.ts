import type { ReporterV1, TrainerEvent } from '@pikt/core';

/** Keeps every event in `events` (tests, small runs, a demo's in-page chart). */
export function createMemoryReporter(): ReporterV1 & { readonly events: TrainerEvent[] } {
  const events: TrainerEvent[] = [];
  return { specificationVersion: 'v1', id: 'memory', events, onEvent: (e) => { events.push(structuredClone(e)); } };
}

/** Calls `fn` with each event (a progress bar, `postMessage` from a Web Worker). */
export function createCallbackReporter(fn: (event: TrainerEvent) => void | Promise<void>, id = 'callback'): ReporterV1 {
  return { specificationVersion: 'v1', id, onEvent: fn };
}
