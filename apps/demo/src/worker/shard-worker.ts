// One shard of the wide student (the trainer's width sharding, settings.workers > 1): a Web Worker
// started by the training worker, answering it through serveShard on its own tfjs wasm backend.
import { serveShard } from '@pikt/trainer';
import type { ShardBackend } from '@pikt/trainer';
import { activateBackend } from './backend.js';

interface ShardScope { postMessage(m: unknown, transfer: Transferable[]): void; addEventListener(type: 'message', h: (e: MessageEvent) => void): void }
const scope = self as unknown as ShardScope;

// The wasm backend starts as soon as the module runs: the pool starts shard workers ahead of a run
// (shards.ts), so compiling the binary overlaps the teacher's training instead of delaying step 1.
const wasm = activateBackend('wasm');

async function activate(backend: ShardBackend): Promise<void> {
  if (backend !== 'wasm') throw new Error(`the demo's shards run on wasm, not ${backend}`);
  const ready = await wasm;
  if (!ready.ok) throw new Error(`wasm backend unavailable in the shard worker: ${ready.reason}`);
}

serveShard({ post: (m, t) => scope.postMessage(m, t ?? []), onMessage: (h) => scope.addEventListener('message', (e) => h(e.data)) }, activate);
