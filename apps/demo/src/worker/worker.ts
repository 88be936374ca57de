import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { buildTask, csvTask, type PairAsset } from '../data.js';
import type { FromWorker, ToWorker } from '../protocol.js';
import type { DemoState } from '../state.js';
import { loadPair } from './assets.js';
import { activateBackend } from './backend.js';
import { createGate, type Gate } from './gate.js';
import { runSession } from './session.js';
import { createShardPool } from './shards.js';

interface WorkerScope { postMessage(m: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null }
const scope = self as unknown as WorkerScope;
const post = (m: FromWorker) => scope.postMessage(m);

let current: { runId: number; gate: Gate; abort: AbortController; done: Promise<void> } | undefined;
let runCounter = 0;
let activeBackend: string | undefined;
let csv: { text: string; name: string } | undefined;
const pairs = new Map<string, PairAsset>();
const shards = createShardPool();

async function stopCurrent(): Promise<void> {
  if (!current) return;
  current.abort.abort();
  current.gate.open();
  await current.done.catch(() => undefined);
  current = undefined;
}

async function start(state: DemoState, assetBase: string, play: boolean): Promise<void> {
  await stopCurrent();
  const runId = ++runCounter;
  if (activeBackend !== state.backend) {
    post({ type: 'status', text: `starting the ${state.backend} backend` });
    const ready = await activateBackend(state.backend);
    if (!ready.ok) { post({ type: 'error', runId, message: `${state.backend} backend unavailable: ${ready.reason}` }); return; }
    activeBackend = state.backend;
    backendDevice = ready.device;
  }
  let pair: PairAsset | undefined;
  if (state.dataset === 'mnist' || state.dataset === 'fashion') {
    pair = pairs.get(state.dataset) ?? await loadPair(state.dataset, assetBase);
    pairs.set(state.dataset, pair);
  }
  const task = buildTask(state, { pair, csvText: csv?.text, csvName: csv?.name });
  const gate = createGate(play);
  const abort = new AbortController();
  const done = runSession(state, task, { runId, post, gate, signal: abort.signal, backend: { id: state.backend, device: backendDevice }, shards })
    .catch((err: Error) => { if (!abort.signal.aborted) post({ type: 'error', runId, message: err.message }); });
  current = { runId, gate, abort, done };
}
let backendDevice = '';

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'start':
      start(m.state, m.assetBase, m.play).catch((err: Error) => post({ type: 'error', runId: runCounter, message: err.message }));
      break;
    case 'play': current?.gate.play(); break;
    case 'pause': current?.gate.pause(); break;
    case 'step': current?.gate.step(); break;
    case 'reset': stopCurrent().catch(() => undefined); break;
    case 'csv':
      // Validate before anything changes: a bad file leaves the loaded data and the running state as they were.
      try {
        const task = csvTask(m.text, m.state, m.name);
        csv = { text: m.text, name: m.name };
        post({ type: 'csv-ok', name: m.name, rows: task.n + task.nPool + task.nTest });
      } catch (err) {
        post({ type: 'csv-error', message: (err as Error).message });
      }
      break;
  }
};
